import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The machine-wide lock file serializing kit builds (the server at start and `npm run images` may overlap). */
export function defaultLockPath(): string {
  return path.join(os.tmpdir(), 'dockyard-images.lock');
}

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

/** Runs `fn` holding the kit lock; waits (telling `onWait` once) while another live process holds it. */
export async function withKitLock<T>(fn: () => Promise<T>, onWait: (message: string) => void = () => {}, file = defaultLockPath(), timeoutMs = 3_600_000): Promise<T> {
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
      if (Date.now() > deadline) throw new Error(`another image build still holds ${file}`);
      if (!told) {
        onWait(`another process is building the image kit (lock ${file}); waiting for it`);
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
