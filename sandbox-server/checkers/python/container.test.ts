import { describe, expect, it } from 'vitest';
import { pythonSandboxCreateOptions } from '../../sandboxes/python-profile.ts';
import { checkBoundary, STUDENT_UID } from './container.ts';

describe('checkBoundary', () => {
  const base = pythonSandboxCreateOptions({ name: 'x', memoryBytes: 256 << 20, pidsLimit: 64, cpus: 1, workBytes: 1 << 20 });
  const opts = checkBoundary(base, 1 << 20);
  const host = opts.HostConfig!;

  it('gives the check container root with only the rights to start, and signal, the submission under its own uid', () => {
    expect(opts.User).toBe('0:0');
    expect(host.CapDrop).toEqual(['ALL']);
    expect([...(host.CapAdd ?? [])].sort()).toEqual(['KILL', 'SETGID', 'SETUID']);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
  });

  it('keeps the rest of the python profile and gives /work to the submission', () => {
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.NetworkMode).toBe('none');
    expect(host.Memory).toBe(base.HostConfig!.Memory);
    expect(host.PidsLimit).toBe(64);
    expect(host.Tmpfs?.['/tmp']).toBe(base.HostConfig!.Tmpfs?.['/tmp']);
    expect(host.Tmpfs?.['/work']).toContain(`uid=${STUDENT_UID},gid=${STUDENT_UID},mode=0700`);
    expect(STUDENT_UID).not.toBe(1000);
  });
});
