import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  NESTED_DOCKER_CAPABILITIES, SANDBOX_DOCKER_IMAGE, STUDENT_SHELL_CAPABILITIES, dockerSandboxCreateOptions, dockerSandboxHostConfig,
  isolationHostConfig, sandboxSeccompProfile,
} from './docker-profile.ts';

const opts = { name: 'sbx-1', dockerDataVolume: 'sbx-1-docker', memoryBytes: 512 * 1024 ** 2, pidsLimit: 512 };

describe('dockerSandboxHostConfig', () => {
  const host = dockerSandboxHostConfig(opts);

  it('adds only what a nested engine needs, never --privileged, and leaves out the capabilities that reach the host', () => {
    expect(host.Privileged).toBeUndefined();
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toEqual([...NESTED_DOCKER_CAPABILITIES]);
    for (const cap of ['SYS_ADMIN', 'NET_ADMIN', 'MKNOD']) expect(host.CapAdd).toContain(cap);
    for (const cap of ['DAC_READ_SEARCH', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_TIME', 'SYS_BOOT', 'SYSLOG', 'SYS_RESOURCE', 'MAC_ADMIN']) {
      expect(host.CapAdd).not.toContain(cap);
    }
    // The student's shell keeps a strict subset: no SYS_ADMIN, no NET_ADMIN.
    expect(STUDENT_SHELL_CAPABILITIES.every((c) => NESTED_DOCKER_CAPABILITIES.includes(c))).toBe(true);
    expect(STUDENT_SHELL_CAPABILITIES).not.toContain('SYS_ADMIN');
    expect(STUDENT_SHELL_CAPABILITIES).not.toContain('NET_ADMIN');
  });

  it('keeps /proc masked, gives the sandbox a cgroup namespace of its own and never binds the host cgroup tree', () => {
    expect(host.MaskedPaths).toBeUndefined();
    expect(host.ReadonlyPaths).toBeUndefined();
    expect(host.CgroupnsMode).toBe('private');
    expect(host.Binds ?? []).toEqual([]);
    expect(host.Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
  });

  it('filters system calls with its own seccomp profile: file handles, modules, clock, reboot and new user namespaces refused', () => {
    const seccomp = host.SecurityOpt?.find((o: string) => o.startsWith('seccomp='));
    expect(host.SecurityOpt).toContain('apparmor=unconfined');
    expect(seccomp).not.toBe('seccomp=unconfined');
    const profile = JSON.parse(seccomp!.slice('seccomp='.length)) as { syscalls: Array<{ names: string[]; args?: unknown[] }> };
    const refused = profile.syscalls[0]!.names;
    for (const call of ['open_by_handle_at', 'init_module', 'kexec_load', 'settimeofday', 'reboot', 'bpf']) expect(refused).toContain(call);
    expect(profile.syscalls.find((r) => r.names.includes('unshare'))?.args).toHaveLength(1);
    // On cgroup v2 the nested runc needs eBPF for its device filter.
    expect(JSON.stringify(sandboxSeccompProfile({ cgroupV2: true }))).not.toContain('"bpf"');
  });

  it('puts /var/lib/docker on the named volume and applies the limits without extra swap', () => {
    expect(host.Mounts).toEqual([{ Type: 'volume', Source: 'sbx-1-docker', Target: '/var/lib/docker' }]);
    expect(host.Memory).toBe(512 * 1024 ** 2);
    expect(host.MemorySwap).toBe(512 * 1024 ** 2);
    expect(host.PidsLimit).toBe(512);
  });

  it('puts a kept sandbox\'s work folder on its own volume too', () => {
    expect(dockerSandboxHostConfig({ ...opts, dockerDataVolume: 'kept-engine', workVolume: 'kept-work' }).Mounts).toEqual([
      { Type: 'volume', Source: 'kept-engine', Target: '/var/lib/docker' },
      { Type: 'volume', Source: 'kept-work', Target: '/root' },
    ]);
  });

  it('joins the mirror network unless told otherwise', () => {
    expect(host.NetworkMode).toBe('dockyard-mirror');
    expect(dockerSandboxHostConfig({ ...opts, network: 'other' }).NetworkMode).toBe('other');
  });
});

describe('the sandbox image', () => {
  it("drops the student's shell to exactly STUDENT_SHELL_CAPABILITIES", () => {
    const shell = readFileSync(new URL('../images/sandbox-docker/dockyard-shell', import.meta.url), 'utf8');
    const kept = shell.match(/--bounding-set=-all,([a-z_,+]+)/)?.[1]?.split(',').map((c) => c.replace('+', '').toUpperCase());
    expect(kept?.sort()).toEqual([...STUDENT_SHELL_CAPABILITIES].sort());
  });
});

describe('isolationHostConfig', () => {
  it('adds no rights at all under sysbox', () => {
    expect(isolationHostConfig('sysbox')).toEqual({ Runtime: 'sysbox-runc' });
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
