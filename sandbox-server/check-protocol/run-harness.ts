import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { runInContainer } from '../docker/exec.ts';
import { runExecWithStdin, type ExecOutcome } from './exec-session.ts';
import { harnessFiles } from './harness-files.ts';

/** Where a harness runs: a container, and who and with what environment the bootstrap runs there. */
export interface HarnessTarget {
  docker: Docker;
  containerId: string;
  /** The bootstrap's user: `1000:1000` in a python container, root in a docker sandbox. */
  user: string;
  /** The bootstrap's whole environment (it starts through `env -i`). */
  env: readonly string[];
  /** The interpreter: `python3`, or an absolute path where the PATH is not to be trusted. */
  python: string;
  /**
   * In a sandbox a student also uses: the harness and the work folder go to a private folder named after the
   * run's nonce (0700, created by the bootstrap), removed afterwards with anything of the run still running.
   */
  privateFolder?: boolean;
}

/** What one harness run sends and how long it may take. */
export interface HarnessRun {
  /** The harness files, path → source (`checkHarness` for a check). */
  harness: Record<string, string>;
  /** The files written to the work folder. */
  files: Record<string, string>;
  /** Passed to the harness's `main(nonce, limits)`. */
  limits: Record<string, unknown>;
  wallMs: number;
  maxOutputBytes: number;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

/** The harness of a check: the `dockyard_check` package, extra modules, and the exercise's check program. */
export function checkHarness(checkProgram: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...harnessFiles().package, ...extra, 'check.py': checkProgram };
}

/** The path of the bootstrap's own folders, moved into `dir` (both the harness and the work folder). */
function relocated(text: string, dir: string): string {
  return text.replaceAll(`'/tmp/dockyard`, `'${dir}/lib`).replaceAll(`'/work`, `'${dir}/work`);
}

/**
 * Runs the bootstrap in `target` with the payload of `run` on stdin (the nonce protocol of docs/check-protocol.md)
 * and returns the records it wrote and how it stopped. Throws only when the exec cannot start.
 */
export async function runHarness(target: HarnessTarget, run: HarnessRun): Promise<ExecOutcome> {
  const nonce = randomBytes(16).toString('hex');
  let { bootstrap } = harnessFiles();
  let harness = run.harness;
  const dir = `/tmp/dockyard-check-${nonce}`;
  if (target.privateFolder) {
    const moved = relocated(bootstrap, dir);
    if (!bootstrap.includes(`'/tmp/dockyard'`) || !bootstrap.includes(`'/work'`) || moved.includes(`'/work'`)) {
      throw new Error('the harness bootstrap could not be relocated');
    }
    bootstrap = `import os\nos.mkdir('${dir}', 0o700)\nos.mkdir('${dir}/work', 0o700)\n${moved}`;
    // The package's own paths move with it; the check program and added modules are sent as they are.
    const own = harnessFiles().package;
    harness = Object.fromEntries(Object.entries(harness).map(([name, text]) => [name, name in own ? relocated(text, dir) : text]));
  }
  const payload = Buffer.from(JSON.stringify({ nonce, limits: run.limits, harness, files: run.files }), 'utf8');
  try {
    return await runExecWithStdin(target.docker, target.containerId, {
      cmd: ['/usr/bin/env', '-i', ...target.env, target.python, '-I', '-B', '-c', bootstrap],
      user: target.user,
      stdin: Buffer.concat([Buffer.from(`${payload.length}\n`), payload]),
      nonce,
      wallMs: run.wallMs,
      maxOutputBytes: run.maxOutputBytes,
      ...(run.onOutput ? { onOutput: run.onOutput } : {}),
    });
  } finally {
    if (target.privateFolder) {
      // Stop a run that outlived the wall limit, then remove its folder.
      // The nonce is passed apart, so this shell's own command line does not match the pattern.
      const script = 'pkill -KILL -f "[d]ockyard-check-$1"; rm -rf "/tmp/dockyard-check-$1"';
      await runInContainer(target.docker, target.containerId, ['/usr/bin/env', '-i', ...target.env, '/bin/sh', '-c', script, 'sh', nonce], {
        user: '0:0',
        timeoutMs: 10_000,
      }).catch(() => undefined);
    }
  }
}
