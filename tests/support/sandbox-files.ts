import { expect } from 'vitest';
import type { Sandbox, SandboxDriver } from '../../sandbox-server/docker/driver.ts';

/** A shell in a docker sandbox, as the student's terminal has it, and a way to write files there. */
export function sandboxShell(driver: SandboxDriver) {
  /** Runs a shell script in the sandbox. */
  const sh = (s: Sandbox, script: string, timeoutMs = 120_000) => driver.run(s, ['sh', '-c', script], { timeoutMs });
  /** Writes `files` (path → content) under `dir` in the sandbox. */
  const writeFiles = async (s: Sandbox, dir: string, files: Record<string, string>): Promise<void> => {
    const script = Object.entries(files)
      .map(([name, content]) => `mkdir -p "$(dirname ${dir}/${name})" && printf '%s' '${content.replaceAll("'", "'\\''")}' > ${dir}/${name}`)
      .join(' && ');
    const r = await sh(s, script);
    expect(r.exitCode, r.stderr).toBe(0);
  };
  return { sh, writeFiles };
}
