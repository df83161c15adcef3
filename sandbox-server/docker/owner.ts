import { hostname } from 'node:os';

/** `host/pid` of this process: the value of the owner label on the sandbox objects it creates. */
export function ownerLabel(pid = process.pid, host = hostname()): string {
  return `${host}/${pid}`;
}

/**
 * Whether the process named by an owner label is still running: only answerable for a process
 * of this host (same name), so one elsewhere, or a label that does not parse, counts as unknown.
 */
export function ownerAlive(label: string | undefined, host = hostname(), probe = probePid): boolean | undefined {
  const m = /^(.+)\/(\d+)$/.exec(label ?? '');
  if (!m || m[1] !== host) return undefined;
  return probe(Number(m[2]));
}

function probePid(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
