import os from 'node:os';
import path from 'node:path';
import { withFileLock } from '../base/file-lock.ts';

/** The machine-wide lock file serializing kit builds (the server at start and `npm run images` may overlap). */
export function defaultLockPath(): string {
  return path.join(os.tmpdir(), 'dockyard-images.lock');
}

/** Runs `fn` holding the kit lock; waits (telling `onWait` once) while another live process holds it. */
export async function withKitLock<T>(fn: () => Promise<T>, onWait: (message: string) => void = () => {}, file = defaultLockPath(), timeoutMs = 3_600_000): Promise<T> {
  return withFileLock(file, fn, { onWait: () => onWait(`another process is building the image kit (lock ${file}); waiting for it`), timeoutMs });
}
