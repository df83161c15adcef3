import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult, Sandbox, SandboxDriver } from '../../sandbox-server/docker/driver.ts';

/**
 * Runs `script` as the student does: through `dockyard-shell`, the wrapper every terminal of a
 * docker sandbox starts in (its own mount namespace, Docker's default capabilities only).
 */
export function asStudent(driver: SandboxDriver, sandbox: Sandbox, script: string, timeoutMs = 90_000): Promise<RunResult> {
  return driver.run(sandbox, ['dockyard-shell', 'sh', '-c', script], { timeoutMs });
}

/**
 * Runs `script` with the sandbox's full rights: what the nested engine itself holds, more than
 * any student shell. An attack refused here is refused whatever the student gets hold of.
 */
export function asSandboxRoot(driver: SandboxDriver, sandbox: Sandbox, script: string, timeoutMs = 90_000): Promise<RunResult> {
  return driver.run(sandbox, ['sh', '-c', script], { timeoutMs });
}

/** A file on the engine's host with a random secret in it, standing in for anything the host keeps. */
export interface HostMarker {
  path: string;
  secret: string;
  remove(): void;
}

export function hostMarker(): HostMarker {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-security-'));
  const secret = `host-secret-${randomBytes(8).toString('hex')}`;
  const path = join(dir, 'marker');
  writeFileSync(path, `${secret}\n`);
  return { path, secret, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resident memory of a process, in bytes. */
export function rss(pid: number): number {
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1];
  return Number(kb) * 1024;
}

/**
 * A Python program that tries the "shocker" escape: open_by_handle_at with a forged handle of the
 * root folder of the disk that holds /etc/hosts (the engine's own disk), then reads `argv[1]`
 * relative to it. Prints `READ <content>` on success, `refused <reason>` otherwise.
 */
export const SHOCKER_PY = String.raw`
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
handle = struct.pack('<Ii', 8, 1) + struct.pack('<II', 2, 0)  # ext4/xfs root folder: inode 2, generation 0
buf = ctypes.create_string_buffer(handle, len(handle))
mount_fd = os.open('/etc/hosts', os.O_RDONLY)
fd = libc.open_by_handle_at(mount_fd, buf, os.O_RDONLY | os.O_DIRECTORY)
if fd < 0:
    print('refused', os.strerror(ctypes.get_errno())); sys.exit(0)
try:
    f = os.open(sys.argv[1].lstrip('/'), os.O_RDONLY, dir_fd=fd)
    print('READ', os.read(f, 200).decode().strip())
except OSError as e:
    print('refused-after-handle', e)
`;

/** Shell-quotes a string for `sh -c`. */
export function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
