import { describe, expect, it } from 'vitest';
import { pythonSandboxCreateOptions } from './python-profile.ts';

describe('pythonSandboxCreateOptions', () => {
  const opts = pythonSandboxCreateOptions({ name: 'p', memoryBytes: 256 << 20, pidsLimit: 64, cpus: 1, workBytes: 64 << 20 });
  const host = opts.HostConfig!;

  it('runs unprivileged: non-root, no capabilities, no new privileges, read-only root', () => {
    expect(opts.User).toBe('1000:1000');
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toBeUndefined();
    expect(host.Privileged).toBeUndefined();
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.ReadonlyRootfs).toBe(true);
    expect(Object.keys(host.Tmpfs ?? {})).toEqual(['/work', '/tmp']);
  });

  it('has no network, an init process and the limits asked for', () => {
    expect(host.NetworkMode).toBe('none');
    expect(host.Init).toBe(true);
    expect([host.Memory, host.MemorySwap, host.PidsLimit, host.NanoCpus]).toEqual([256 << 20, 256 << 20, 64, 1e9]);
  });
});
