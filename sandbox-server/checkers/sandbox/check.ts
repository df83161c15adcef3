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
  /**
   * Handed the removal of the check's sandbox, which runs on after the verdict is returned: it settles with how long
   * the removal took, and why it failed if it did (a server waits for these before it stops).
   */
  onRemoval?: (removal: Promise<SandboxRemoval>) => void;
}

/** How the removal of a check's sandbox went. */
export interface SandboxRemoval {
  ms: number;
  error?: unknown;
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
 * through the check protocol (runHarness); never throws. The sandbox is always removed, once the verdict is
 * known: the removal runs on after the verdict is returned (the sandbox source hears `done` when it ends).
 * The verdict's resources.phases_ms says where the time went: the sandbox claim (from the pool, or a fresh
 * sandbox), the check program (and inside it build, run, compose up, waits, … as the helpers report them), and
 * reading the sandbox's state afterwards.
 */
export async function runSandboxCheck(driver: SandboxDriver, req: SandboxCheckRequest): Promise<Verdict> {
  const limits = { ...DEFAULT_SANDBOX_CHECK_LIMITS, ...req.limits };
  const valid = validateFiles(req.files);
  if (!valid.ok) return errorVerdict(`Submission rejected: ${valid.error}`, 0, 'runtime');
  const started = Date.now();
  const host: Record<string, number> = {};
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await req.sandboxes?.take();
    if (sandbox) host['sandbox claim'] = Date.now() - started;
    else {
      sandbox = await driver.create('docker', { [LABEL_CHECKER]: 'sandbox' });
      host['sandbox create'] = Date.now() - started;
    }
    const programStarted = Date.now();
    const files = Object.fromEntries(Object.entries(req.files).map(([name, text]) => [`${SUBMISSION_DIR}/${name}`, text]));
    // No RLIMIT_AS (memory_bytes 0): the Go docker CLI reserves far more address space than it uses; the sandbox's
    // cgroup limit bounds memory. The per-check guard sits past the wall limit: builds stop themselves 10 s before it
    // (dockyard_check.docker), and the host's wall limit is the backstop.
    const outcome = await runHarness(sandboxTarget(driver, sandbox.containerId), {
      harness: checkHarness(req.checkProgram, limitsModule(limits.wallMs, { disposable: true })),
      files,
      limits: { memory_bytes: 0, check_seconds: Math.ceil(limits.wallMs / 1000) + 30 },
      wallMs: limits.wallMs,
      maxOutputBytes: limits.maxOutputBytes,
    });
    host['check program'] = Date.now() - programStarted;
    const afterStarted = Date.now();
    const oomKilled = await driver.docker
      .getContainer(sandbox.containerId)
      .inspect()
      .then((i) => i.State?.OOMKilled === true)
      .catch(() => false);
    const verdict = verdictFromRecords(outcome.records, { ...outcome, wallMs: Date.now() - started, oomKilled });
    const withPhases = () => {
      host['sandbox state'] = Date.now() - afterStarted;
      verdict.resources.wall_ms = Date.now() - started;
      verdict.resources.phases_ms = { ...host, ...verdict.resources.phases_ms };
    };
    if (verdict.error_kind === 'timeout') verdict.message = `The check did not finish within ${Math.round(limits.wallMs / 1000)} s (a RUN step that never ends, or a wait on a network the sandbox does not have?).`;
    else if (!verdict.error_kind) {
      // A build the helpers had to stop is a timeout, with the checks (and the build log) kept.
      const marker = await driver.run(sandbox, ['cat', BUILD_TIMEOUT_MARKER], { timeoutMs: 5000 }).catch(() => undefined);
      if (marker?.exitCode === 0) {
        withPhases();
        return VerdictSchema.parse({
          ...verdict,
          status: 'error',
          error_kind: 'timeout',
          message: `The build did not finish within ${marker.stdout.trim()} s (a RUN step that never ends, or one waiting for a network the sandbox does not have?).`,
        });
      }
    }
    withPhases();
    return verdict;
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  } finally {
    if (sandbox) removeAfter(driver, sandbox, req);
  }
}

/** Removes a check's sandbox in the background (the student has their verdict already); tells the source when it is gone. */
function removeAfter(driver: SandboxDriver, sandbox: Sandbox, req: SandboxCheckRequest): void {
  const t0 = Date.now();
  const removal = driver
    .remove(sandbox)
    .then(
      (): SandboxRemoval => ({ ms: Date.now() - t0 }),
      (error: unknown): SandboxRemoval => ({ ms: Date.now() - t0, error }),
    )
    .finally(() => req.sandboxes?.done(sandbox));
  req.onRemoval?.(removal);
}

/** Where the check program runs in a docker sandbox: as root, with a fixed environment and /usr/bin/python3. */
export function sandboxTarget(driver: SandboxDriver, containerId: string) {
  return { docker: driver.docker, containerId, user: '0:0', env: SANDBOX_ENV, python: '/usr/bin/python3' };
}

/**
 * The generated harness module that tells `dockyard_check.docker` the wall limit, and whether the sandbox is thrown
 * away after the check (then the helpers' cleanups wait for the next docker command, and the last one never runs).
 */
export function limitsModule(wallMs: number, opts: { disposable?: boolean } = {}): Record<string, string> {
  const lines = ['"""Written by the sandbox runner."""', `WALL_SECONDS = ${Math.floor(wallMs / 1000)}`, `DISPOSABLE = ${opts.disposable ? 'True' : 'False'}`];
  return { 'dockyard_check/_sandbox_limits.py': `${lines.join('\n')}\n` };
}
