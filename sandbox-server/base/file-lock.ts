import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

function holderAlive(file: string): boolean {
  let pid = NaN;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    // Being written right now, or garbage: trust it for a few seconds only.
    try {
      return Date.now() - statSync(file).mtimeMs < 5000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding a lock file that serializes processes on this machine (two servers starting at
 * once, a server and a command); waits, telling `onWait` once, while another live process holds it,
 * and takes over a lock left by a process that died.
 */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T>,
  { onWait = () => {}, timeoutMs = 3_600_000 }: { onWait?: () => void; timeoutMs?: number } = {},
): Promise<T> {
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!holderAlive(file)) {
        try { unlinkSync(file); } catch { /* someone else took it over */ }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another process still holds ${file}`);
      if (!told) {
        onWait();
        told = true;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    try { unlinkSync(file); } catch { /* already gone */ }
  }
}
