import { describe, expect, it } from 'vitest';
import {
  NESTED_DOCKER_CAPABILITIES, SANDBOX_DOCKER_IMAGE, dockerSandboxCreateOptions, dockerSandboxHostConfig,
} from './docker-profile.ts';

const opts = { name: 'sbx-1', dockerDataVolume: 'sbx-1-docker', memoryBytes: 512 * 1024 ** 2, pidsLimit: 512 };

describe('dockerSandboxHostConfig', () => {
  const host = dockerSandboxHostConfig(opts);

  it('adds every capability one by one except SYS_RESOURCE, never --privileged', () => {
    expect(host.Privileged).toBeUndefined();
    expect(host.CapAdd).toHaveLength(37);
    expect(new Set(host.CapAdd).size).toBe(37);
    expect(host.CapAdd).not.toContain('SYS_RESOURCE');
    for (const cap of ['SYS_ADMIN', 'NET_ADMIN', 'MKNOD', 'SYS_PTRACE', 'AUDIT_READ']) expect(host.CapAdd).toContain(cap);
    expect(NESTED_DOCKER_CAPABILITIES.every((c) => /^[A-Z_]+$/.test(c) && !c.startsWith('CAP_'))).toBe(true);
  });

  it('lifts seccomp, apparmor and the masked system paths, and binds the cgroup tree read-write', () => {
    expect(host.SecurityOpt).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
    expect(host.MaskedPaths).toEqual([]);
    expect(host.ReadonlyPaths).toEqual([]);
    expect(host.Binds).toEqual(['/sys/fs/cgroup:/sys/fs/cgroup:rw']);
  });

  it('puts /var/lib/docker on the named volume and applies the limits without extra swap', () => {
    expect(host.Mounts).toEqual([{ Type: 'volume', Source: 'sbx-1-docker', Target: '/var/lib/docker' }]);
    expect(host.Memory).toBe(512 * 1024 ** 2);
    expect(host.MemorySwap).toBe(512 * 1024 ** 2);
    expect(host.PidsLimit).toBe(512);
  });

  it('joins the mirror network unless told otherwise', () => {
    expect(host.NetworkMode).toBe('dockyard-mirror');
    expect(dockerSandboxHostConfig({ ...opts, network: 'other' }).NetworkMode).toBe('other');
  });
});

describe('dockerSandboxCreateOptions', () => {
  it('runs the sandbox image with the mirror URL and Dockyard labels', () => {
    const create = dockerSandboxCreateOptions({ ...opts, labels: { 'dockyard.sandbox': 'sbx-1', 'dockyard.managed': 'false' } });
    expect(create.Image).toBe(SANDBOX_DOCKER_IMAGE);
    expect(create.name).toBe('sbx-1');
    expect(create.Env).toContain('DOCKYARD_REGISTRY_MIRROR=http://dockyard-mirror:5000');
    expect(create.Labels).toEqual({ 'dockyard.sandbox': 'sbx-1', 'dockyard.managed': 'true', 'dockyard.role': 'sandbox-docker' });
    expect(create.NetworkingConfig?.EndpointsConfig).toHaveProperty('dockyard-mirror');
  });
});
