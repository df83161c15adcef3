import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withKitLock } from './lock.ts';

const lockFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'kit-lock-')), 'lock');

describe('withKitLock', () => {
  it('serializes holders and removes the lock afterwards, even on failure', async () => {
    const file = lockFile();
    const order: string[] = [];
    const waits: string[] = [];
    const first = withKitLock(async () => { order.push('a start'); await new Promise((r) => setTimeout(r, 1200)); order.push('a end'); }, () => {}, file);
    await new Promise((r) => setTimeout(r, 50));
    const second = withKitLock(async () => { order.push('b'); }, (m) => waits.push(m), file);
    await Promise.all([first, second]);
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(waits).toHaveLength(1);
    await expect(withKitLock(async () => { throw new Error('boom'); }, () => {}, file)).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const file = lockFile();
    writeFileSync(file, '999999999');
    await expect(withKitLock(async () => 'ok', () => {}, file)).resolves.toBe('ok');
  });
});
