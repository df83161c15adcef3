import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_ROLE, MIRROR_NETWORK, MIRROR_URL } from '../images/labels.ts';

/** The image of docker-kind sandboxes. */
export const SANDBOX_DOCKER_IMAGE = 'dockyard/sandbox-docker:latest';

/**
 * How a nested engine gets the rights it needs, best first: the sysbox runtime (no extra
 * rights at all), `--privileged` (ordinary hosts), or every capability but SYS_RESOURCE one
 * by one (hosts whose bounding set lacks it, where `--privileged` fails).
 */
export const ISOLATION_PROFILES = ['sysbox', 'privileged', 'capabilities'] as const;
export type IsolationProfile = (typeof ISOLATION_PROFILES)[number];

/**
 * Every capability Docker 20.10 knows (CAP_CHOWN … CAP_AUDIT_READ) except SYS_RESOURCE, which this kind of host
 * cannot grant. PERFMON, BPF and CHECKPOINT_RESTORE are left out: 20.10 rejects them as unknown, dockerd needs none.
 */
export const NESTED_DOCKER_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE',
  'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
];

/** What a docker-kind sandbox container needs to be created. */
export interface DockerSandboxOptions {
  /** Container name. */
  name: string;
  /** Named volume mounted at /var/lib/docker (created on first use by the engine). */
  dockerDataVolume: string;
  /** Memory limit in bytes; swap is not added on top. */
  memoryBytes: number;
  /** Maximum number of processes, nested containers included. */
  pidsLimit: number;
  /** Defaults to `capabilities`, which works on every host seen so far. */
  profile?: IsolationProfile;
  /** Network shared with the course mirror; `dockyard-mirror` by default. */
  network?: string;
  /** What the nested engine gets as `--registry-mirror`; the course mirror by default. */
  registryMirror?: string;
  image?: string;
  /** Extra labels (sandbox id, owner session…); the managed/role labels are always set. */
  labels?: Record<string, string>;
  /** Extra environment variables (`KEY=value`). */
  env?: string[];
}

/** The HostConfig a nested Docker engine needs under `profile`, with memory/pids limits and its data volume. */
export function dockerSandboxHostConfig(opts: DockerSandboxOptions): Docker.HostConfig {
  const profile = opts.profile ?? 'capabilities';
  const limits: Docker.HostConfig = {
    Memory: opts.memoryBytes,
    MemorySwap: opts.memoryBytes,
    PidsLimit: opts.pidsLimit,
  };
  const storage: Docker.HostConfig = {
    Mounts: [{ Type: 'volume', Source: opts.dockerDataVolume, Target: '/var/lib/docker' }],
    NetworkMode: opts.network ?? MIRROR_NETWORK,
  };
  return { ...limits, ...storage, ...isolationHostConfig(profile) };
}

/** The rights part of HostConfig for one isolation profile. */
export function isolationHostConfig(profile: IsolationProfile): Docker.HostConfig {
  switch (profile) {
    case 'sysbox':
      // sysbox virtualises /proc, /sys and cgroups for the nested engine: no extra rights.
      return { Runtime: 'sysbox-runc' };
    case 'privileged':
      return {
        Privileged: true,
        // The nested engine creates its containers' cgroups (under its own, see the entrypoint).
        Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
      };
    case 'capabilities':
      return {
        CapAdd: [...NESTED_DOCKER_CAPABILITIES],
        // `systempaths=unconfined` is a CLI option; through the API it is empty masked/read-only path lists.
        SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
        MaskedPaths: [],
        ReadonlyPaths: [],
        Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
      };
  }
}

/** The full create options of a docker-kind sandbox: image, labels, mirror env, HostConfig and network. */
export function dockerSandboxCreateOptions(opts: DockerSandboxOptions): Docker.ContainerCreateOptions {
  const network = opts.network ?? MIRROR_NETWORK;
  return {
    name: opts.name,
    Image: opts.image ?? SANDBOX_DOCKER_IMAGE,
    Hostname: 'sandbox',
    Env: [`DOCKYARD_REGISTRY_MIRROR=${opts.registryMirror ?? MIRROR_URL}`, ...(opts.env ?? [])],
    Labels: { ...opts.labels, [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'sandbox-docker' },
    HostConfig: dockerSandboxHostConfig(opts),
    NetworkingConfig: { EndpointsConfig: { [network]: {} } },
  };
}
