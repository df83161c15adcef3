import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { runInContainer } from '../../docker/exec.ts';
import type { Sandbox, SandboxDriver } from '../../docker/driver.ts';
import { runExecWithStdin } from '../python/exec-session.ts';
import { harnessFiles } from '../python/harness-files.ts';
import { CHECK_LABEL } from '../python/run.ts';
import { validateFiles } from '../python/validate-files.ts';
import { verdictFromRecords } from '../python/verdict-from-records.ts';
import { DEFAULT_SANDBOX_CHECK_LIMITS, type SandboxCheckLimits } from '../sandbox/limits.ts';
import { errorVerdict, VerdictSchema, type Verdict } from '../verdict.ts';

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
/** The only environment anything the checker runs sees (no learner PATH, aliases, DOCKER_* variables). */
const ENV = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];
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
    sandbox = await driver.create('docker', { [CHECK_LABEL]: 'terminal' });
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
  const nonce = randomBytes(16).toString('hex');
  const dir = `/tmp/dockyard-check-${nonce}`;
  try {
    const harness = harnessFiles();
    const relocate = (text: string) => text.replaceAll(`'/tmp/dockyard`, `'${dir}/lib`).replaceAll(`'/work`, `'${dir}/work`);
    const bootstrap = relocate(harness.bootstrap);
    if (!harness.bootstrap.includes(`'/tmp/dockyard'`) || !harness.bootstrap.includes(`'/work'`) || bootstrap.includes(`'/work'`)) throw new Error('the harness bootstrap could not be relocated');
    const program = `import os\nos.mkdir('${dir}', 0o700)\nos.mkdir('${dir}/work', 0o700)\n${bootstrap}`;
    const pkg = Object.fromEntries(Object.entries(harness.package).map(([name, text]) => [name, relocate(text)]));
    const checkSeconds = Math.ceil(limits.wallMs / 1000) + 30;
    const payload = Buffer.from(
      JSON.stringify({
        nonce,
        limits: { memory_bytes: 0, check_seconds: checkSeconds },
        harness: { ...pkg, 'dockyard_check/terminal.py': TERMINAL_HELPERS, 'dockyard_check/_sandbox_limits.py': `WALL_SECONDS = ${Math.floor(limits.wallMs / 1000)}\n`, 'check.py': req.checkProgram },
        files: req.files ?? {},
      }),
      'utf8',
    );
    try {
      const outcome = await runExecWithStdin(docker, containerId, {
        cmd: ['/usr/bin/env', '-i', ...ENV, '/usr/bin/python3', '-I', '-B', '-c', program],
        user: '0:0',
        stdin: Buffer.concat([Buffer.from(`${payload.length}\n`), payload]),
        nonce,
        wallMs: limits.wallMs,
        maxOutputBytes: limits.maxOutputBytes,
      });
      const verdict = verdictFromRecords(outcome.records, {
        stop: outcome.stop,
        exitCode: outcome.exitCode,
        wallMs: Date.now() - started,
        oomKilled: false,
        strayTail: outcome.strayTail,
      });
      if (verdict.error_kind === 'timeout') verdict.message = `The check did not finish within ${Math.round(limits.wallMs / 1000)} s.`;
      return verdict;
    } finally {
      // Stop a check that outlived the wall limit, then remove its folder.
      // The nonce is passed apart, so this shell's own command line does not match the pattern.
      const script = 'pkill -KILL -f "[d]ockyard-check-$1"; rm -rf "/tmp/dockyard-check-$1"';
      await runInContainer(docker, containerId, ['/usr/bin/env', '-i', ...ENV, '/bin/sh', '-c', script, 'sh', nonce], { user: '0:0', timeoutMs: 10_000 }).catch(() => undefined);
    }
  } catch (err) {
    return errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, Date.now() - started, 'internal');
  }
}

function tailOf(text: string, lines = 15, chars = 1500): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n').slice(-chars);
}
