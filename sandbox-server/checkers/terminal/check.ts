import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { LABEL_CHECKER } from '../../base/names.ts';
import { checkHarness, runHarness } from '../../check-protocol/run-harness.ts';
import { verdictFromRecords } from '../../check-protocol/verdict-from-records.ts';
import { VerdictSchema, type Verdict } from '../../contract/verdict.ts';
import { runInContainer } from '../../docker/exec.ts';
import type { Sandbox, SandboxDriver } from '../../docker/driver.ts';
import { limitsModule } from '../sandbox/check.ts';
import { DEFAULT_SANDBOX_CHECK_LIMITS, SANDBOX_ENV, type SandboxCheckLimits } from '../sandbox/limits.ts';
import { validateFiles } from '../validate-files.ts';
import { errorVerdict } from '../verdict.ts';

/** Limits of a terminal check: the check program's (as a sandbox check) plus the replay's wall limit. */
export interface TerminalCheckLimits extends SandboxCheckLimits {
  /** Wall limit for replaying commands.sh (batch grading only). */
  replayWallMs: number;
}

export const DEFAULT_TERMINAL_CHECK_LIMITS: TerminalCheckLimits = { ...DEFAULT_SANDBOX_CHECK_LIMITS, replayWallMs: 180_000 };

/** A batch check: replay `files['commands.sh']` in a fresh docker sandbox, then run check.py on the state it left. */
export interface TerminalCheckRequest {
  files: Record<string, string>;
  checkProgram: string;
  limits?: Partial<TerminalCheckLimits>;
}

/** The commands a learner ran, one per line. */
export const COMMANDS_FILE = 'commands.sh';
/** The replay gets a learner-like shell environment (but still no inherited variables). */
const REPLAY_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8', 'TERM=dumb'];
const TERMINAL_HELPERS = readFileSync(join(import.meta.dirname, 'terminal.py'), 'utf8');

/** What replaying commands.sh did. */
export interface ReplayOutcome {
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, capped. */
  output: string;
}

/**
 * Replays commands.sh in a fresh docker sandbox as a learner would type it (as root in /root, each line in order,
 * going on after a failing command, within the replay wall limit), then checks the resulting state with
 * checkLiveSandbox; always removes the sandbox; never throws.
 */
export async function runTerminalCheck(driver: SandboxDriver, req: TerminalCheckRequest): Promise<Verdict> {
  const limits = { ...DEFAULT_TERMINAL_CHECK_LIMITS, ...req.limits };
  const valid = validateFiles(req.files);
  if (!valid.ok) return errorVerdict(`Submission rejected: ${valid.error}`, 0, 'runtime');
  const commands = req.files[COMMANDS_FILE];
  if (commands === undefined) return errorVerdict(`Submission rejected: there is no ${COMMANDS_FILE}`, 0, 'runtime');
  const started = Date.now();
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await driver.create('docker', { [LABEL_CHECKER]: 'terminal' });
    const replay = await replayCommands(driver.docker, sandbox.containerId, commands, limits.replayWallMs);
    const verdict = await checkLiveSandbox(driver.docker, sandbox.containerId, { checkProgram: req.checkProgram, limits, files: req.files });
    verdict.resources.wall_ms = Date.now() - started;
    if (verdict.status !== 'pass') {
      const how = replay.timedOut ? `did not finish within ${Math.round(limits.replayWallMs / 1000)} s` : `ended with exit code ${replay.exitCode}`;
      const replayed = `Replaying ${COMMANDS_FILE} ${how}; its last output:\n${tailOf(replay.output)}`;
      verdict.message = verdict.message ? `${verdict.message}\n\n${replayed}` : replayed;
    }
    return VerdictSchema.parse(verdict);
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  } finally {
    if (sandbox) await driver.remove(sandbox).catch(() => undefined);
  }
}

/** Runs `commands` with bash (no -e: a failing line does not stop the rest) as root in /root, stdin closed. */
export async function replayCommands(docker: Docker, containerId: string, commands: string, wallMs: number): Promise<ReplayOutcome> {
  const seconds = Math.max(1, Math.ceil(wallMs / 1000));
  // Through dockyard-shell, like a terminal: the learner's commands get the shell's rights (Docker's default
  // capabilities, the engine's storage out of sight), never the nested engine's.
  const cmd = ['dockyard-shell', '/usr/bin/env', '-i', ...REPLAY_ENV, '/usr/bin/timeout', '-k', '5', String(seconds), '/bin/bash', '-c', `exec 2>&1 </dev/null\n${commands}`];
  const result = await runInContainer(docker, containerId, cmd, { user: '0:0', timeoutMs: wallMs + 15_000, maxBytes: 256 * 1024 });
  // timeout(1) exits 124 when it stopped the replay (137 after -k).
  const timedOut = result.exitCode === 124 || result.exitCode === 137;
  return { exitCode: timedOut ? null : result.exitCode, timedOut, output: result.stdout + result.stderr };
}

/** A check of an existing docker sandbox (a learner's live session, or a replay's). */
export interface LiveCheckRequest {
  checkProgram: string;
  limits?: Partial<SandboxCheckLimits>;
  /** Extra files for the check's work folder (the replayed commands.sh); none for a live session. */
  files?: Record<string, string>;
}

/**
 * Runs check.py inside the docker sandbox `containerId` out of band: a separate exec as root, `env -i` with a fixed
 * PATH, absolute /usr/bin/python3 -I, a private folder named after a fresh nonce (not /tmp/dockyard or /work, which
 * the learner can touch), and `dockyard_check.terminal` pinning the docker CLI to /usr/bin/docker, the nested engine's
 * socket and an empty CLI config. The learner's shell, aliases, PATH, .bashrc and ~/.docker are never used.
 * Never throws.
 */
export async function checkLiveSandbox(docker: Docker, containerId: string, req: LiveCheckRequest): Promise<Verdict> {
  const limits = { ...DEFAULT_SANDBOX_CHECK_LIMITS, ...req.limits };
  const started = Date.now();
  try {
    const outcome = await runHarness(
      { docker, containerId, user: '0:0', env: SANDBOX_ENV, python: '/usr/bin/python3', privateFolder: true },
      {
        harness: checkHarness(req.checkProgram, { 'dockyard_check/terminal.py': TERMINAL_HELPERS, ...limitsModule(limits.wallMs) }),
        files: req.files ?? {},
        limits: { memory_bytes: 0, check_seconds: Math.ceil(limits.wallMs / 1000) + 30 },
        wallMs: limits.wallMs,
        maxOutputBytes: limits.maxOutputBytes,
      },
    );
    const verdict = verdictFromRecords(outcome.records, { ...outcome, wallMs: Date.now() - started, oomKilled: false });
    if (verdict.error_kind === 'timeout') verdict.message = `The check did not finish within ${Math.round(limits.wallMs / 1000)} s.`;
    return verdict;
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  }
}

function tailOf(text: string, lines = 15, chars = 1500): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n').slice(-chars);
}
