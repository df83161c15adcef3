import { LABEL_CHECKER } from '../../base/names.ts';
import { checkHarness, runHarness } from '../../check-protocol/run-harness.ts';
import { verdictFromRecords } from '../../check-protocol/verdict-from-records.ts';
import { VerdictSchema, type Verdict } from '../../contract/verdict.ts';
import type { Sandbox, SandboxDriver } from '../../docker/driver.ts';
import { validateFiles } from '../validate-files.ts';
import { errorVerdict } from '../verdict.ts';
import { DEFAULT_SANDBOX_CHECK_LIMITS, SANDBOX_ENV, type SandboxCheckLimits } from './limits.ts';

/** A request to check one submission inside a docker-kind sandbox. */
export interface SandboxCheckRequest {
  /** Written to /work/submission in the sandbox (the build context). */
  files: Record<string, string>;
  /** The exercise's check.py source. */
  checkProgram: string;
  limits?: Partial<SandboxCheckLimits>;
  /** Where to take a sandbox made ready in advance; without one, or when it has none, a fresh sandbox is made. */
  sandboxes?: SandboxSource | undefined;
}

/** Docker sandboxes made ready ahead of checks (the server's check pool). */
export interface SandboxSource {
  take(): Promise<Sandbox | undefined>;
  /** Called once the check has removed the sandbox it took. */
  done(sandbox: Sandbox): void;
}

/** Where the submission lands inside the sandbox, relative to the bootstrap's /work. */
export const SUBMISSION_DIR = 'submission';
/** Written by `dockyard_check.docker` when a build ran out of time (see TIMEOUT_MARKER there). */
const BUILD_TIMEOUT_MARKER = '/run/dockyard-check/build-timeout';

/**
 * Checks a submission in a fresh docker-kind sandbox (its own nested engine), running check.py as root
 * through the check protocol (runHarness); always removes the sandbox; never throws.
 */
export async function runSandboxCheck(driver: SandboxDriver, req: SandboxCheckRequest): Promise<Verdict> {
  const limits = { ...DEFAULT_SANDBOX_CHECK_LIMITS, ...req.limits };
  const valid = validateFiles(req.files);
  if (!valid.ok) return errorVerdict(`Submission rejected: ${valid.error}`, 0, 'runtime');
  const started = Date.now();
  let sandbox: Sandbox | undefined;
  try {
    sandbox = (await req.sandboxes?.take()) ?? (await driver.create('docker', { [LABEL_CHECKER]: 'sandbox' }));
    const files = Object.fromEntries(Object.entries(req.files).map(([name, text]) => [`${SUBMISSION_DIR}/${name}`, text]));
    // No RLIMIT_AS (memory_bytes 0): the Go docker CLI reserves far more address space than it uses; the sandbox's
    // cgroup limit bounds memory. The per-check guard sits past the wall limit: builds stop themselves 10 s before it
    // (dockyard_check.docker), and the host's wall limit is the backstop.
    const outcome = await runHarness(sandboxTarget(driver, sandbox.containerId), {
      harness: checkHarness(req.checkProgram, limitsModule(limits.wallMs)),
      files,
      limits: { memory_bytes: 0, check_seconds: Math.ceil(limits.wallMs / 1000) + 30 },
      wallMs: limits.wallMs,
      maxOutputBytes: limits.maxOutputBytes,
    });
    const oomKilled = await driver.docker
      .getContainer(sandbox.containerId)
      .inspect()
      .then((i) => i.State?.OOMKilled === true)
      .catch(() => false);
    const verdict = verdictFromRecords(outcome.records, { ...outcome, wallMs: Date.now() - started, oomKilled });
    if (verdict.error_kind === 'timeout') verdict.message = `The check did not finish within ${Math.round(limits.wallMs / 1000)} s (a RUN step that never ends, or a wait on a network the sandbox does not have?).`;
    else if (!verdict.error_kind) {
      // A build the helpers had to stop is a timeout, with the checks (and the build log) kept.
      const marker = await driver.run(sandbox, ['cat', BUILD_TIMEOUT_MARKER], { timeoutMs: 5000 }).catch(() => undefined);
      if (marker?.exitCode === 0) {
        return VerdictSchema.parse({
          ...verdict,
          status: 'error',
          error_kind: 'timeout',
          message: `The build did not finish within ${marker.stdout.trim()} s (a RUN step that never ends, or one waiting for a network the sandbox does not have?).`,
        });
      }
    }
    return verdict;
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  } finally {
    if (sandbox) {
      await driver.remove(sandbox).catch(() => undefined);
      req.sandboxes?.done(sandbox);
    }
  }
}

/** Where the check program runs in a docker sandbox: as root, with a fixed environment and /usr/bin/python3. */
export function sandboxTarget(driver: SandboxDriver, containerId: string) {
  return { docker: driver.docker, containerId, user: '0:0', env: SANDBOX_ENV, python: '/usr/bin/python3' };
}

/** The generated harness module that tells `dockyard_check.docker` the wall limit. */
export function limitsModule(wallMs: number): Record<string, string> {
  return { 'dockyard_check/_sandbox_limits.py': `"""Written by the sandbox runner."""\nWALL_SECONDS = ${Math.floor(wallMs / 1000)}\n` };
}
