import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_ROLE } from '../base/names.ts';
import { COURSE_HOSTS, MIRROR_NETWORK, MIRROR_URL } from '../images/labels.ts';

/** The image of docker-kind sandboxes. */
export const SANDBOX_DOCKER_IMAGE = 'dockyard/sandbox-docker:latest';

/**
 * How a nested engine gets the rights it needs, best first: the sysbox runtime (a user
 * namespace: root in the sandbox is nobody on the host), or a short list of capabilities
 * in a cgroup namespace of its own (hosts without sysbox). `--privileged` is not offered:
 * it hands the sandbox every device of the host and the host's whole cgroup tree.
 */
export const ISOLATION_PROFILES = ['sysbox', 'capabilities'] as const;
export type IsolationProfile = (typeof ISOLATION_PROFILES)[number];

/**
 * The capabilities of a `capabilities` sandbox: Docker's default set plus what a nested
 * engine needs (SYS_ADMIN for its mounts and namespaces, NET_ADMIN for its bridges and
 * firewall, SYS_PTRACE for `docker exec` into a container whose process runs as another user:
 * joining its namespaces takes ptrace rights over it; the sandbox's PID namespace keeps every
 * traced process inside the sandbox). Left out on purpose: DAC_READ_SEARCH (open_by_handle_at reads any file of the
 * host's disk), SYS_MODULE, SYS_RAWIO, SYS_TIME, SYS_BOOT, SYSLOG, MAC_ADMIN and the rest.
 * A nested container can never get more than this list, so nested `--privileged` fails.
 */
export const NESTED_DOCKER_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'SETFCAP',
  'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'NET_ADMIN', 'SYS_ADMIN', 'SYS_PTRACE',
];

/**
 * What the student's own shell keeps (see `dockyard-shell` in the sandbox image): Docker's default set. The
 * nested engine keeps SYS_ADMIN and NET_ADMIN; the shell, which only needs the docker CLI,
 * does not, so it can neither remount nor mount a fresh /proc.
 */
export const STUDENT_SHELL_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'SETFCAP',
  'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE',
];

/** What a docker-kind sandbox container needs to be created. */
export interface DockerSandboxOptions {
  /** Container name. */
  name: string;
  /** Named volume mounted at /var/lib/docker (created on first use by the engine). */
  dockerDataVolume: string;
  /** Named volume mounted at the student's work folder (/root), for a kept sandbox; none by default. */
  workVolume?: string | undefined;
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
  /** Whether the engine's host uses cgroup v2 (the nested runc then needs eBPF). */
  cgroupV2?: boolean;
}

/** The HostConfig a nested Docker engine needs under `profile`, with memory/pids limits and its data volume. */
export function dockerSandboxHostConfig(opts: DockerSandboxOptions): SandboxHostConfig {
  const profile = opts.profile ?? 'capabilities';
  const limits: Docker.HostConfig = {
    Memory: opts.memoryBytes,
    MemorySwap: opts.memoryBytes,
    PidsLimit: opts.pidsLimit,
  };
  const storage: Docker.HostConfig = {
    Mounts: [
      { Type: 'volume', Source: opts.dockerDataVolume, Target: '/var/lib/docker' },
      ...(opts.workVolume ? [{ Type: 'volume' as const, Source: opts.workVolume, Target: '/root' }] : []),
    ],
    NetworkMode: opts.network ?? MIRROR_NETWORK,
  };
  return { ...limits, ...storage, ...isolationHostConfig(profile, { cgroupV2: opts.cgroupV2 }) };
}

/** Linux's CLONE_NEWUSER flag of clone(2) and unshare(2). */
const CLONE_NEWUSER = 0x10000000;

/**
 * The seccomp profile of a `capabilities` sandbox: everything the nested engine needs (mount, unshare,
 * keyctl for runc's session keyring…) is allowed; refused are the calls that reach past the sandbox
 * with the rights it holds or that no course needs: file handles (open_by_handle_at reads any file of
 * the disk), kernel modules, kexec, raw I/O ports, the clock, reboot, the kernel log, swap and
 * accounting, and new user namespaces. eBPF and perf, which read kernel memory with SYS_ADMIN, are
 * refused too on cgroup v1 hosts; on cgroup v2 the nested runc needs eBPF for its device filter.
 * Filters stack: nothing a nested container asks for (`--security-opt seccomp=unconfined`) lifts it.
 */
export function sandboxSeccompProfile(opts: { cgroupV2?: boolean } = {}): object {
  const refused = [
    'open_by_handle_at', 'name_to_handle_at', 'init_module', 'finit_module', 'delete_module', 'create_module',
    'kexec_load', 'kexec_file_load', 'iopl', 'ioperm', 'settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex',
    'stime', 'reboot', 'syslog', 'acct', 'swapon', 'swapoff', 'lookup_dcookie', 'nfsservctl', 'vm86', 'vm86old',
    'get_kernel_syms', 'query_module', 'uselib', 'userfaultfd', 'quotactl', 'quotactl_fd',
    ...(opts.cgroupV2 ? [] : ['bpf', 'perf_event_open']),
  ];
  const newUser = [{ index: 0, value: CLONE_NEWUSER, valueTwo: CLONE_NEWUSER, op: 'SCMP_CMP_MASKED_EQ' }];
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
    syscalls: [
      { names: refused, action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
      // clone3 passes its flags in memory, where seccomp cannot look: "not implemented" makes libc use clone.
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
      { names: ['clone', 'unshare'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, args: newUser },
    ],
  };
}

/** HostConfig with the cgroup namespace mode (API 1.41), which dockerode's types do not list yet. */
export type SandboxHostConfig = Docker.HostConfig & { CgroupnsMode?: 'private' | 'host' };

/** The rights part of HostConfig for one isolation profile. */
export function isolationHostConfig(profile: IsolationProfile, opts: { cgroupV2?: boolean } = {}): SandboxHostConfig {
  switch (profile) {
    case 'sysbox':
      // sysbox virtualises /proc, /sys and cgroups for the nested engine: no extra rights.
      return { Runtime: 'sysbox-runc' };
    case 'capabilities':
      return {
        CapDrop: ['ALL'],
        CapAdd: [...NESTED_DOCKER_CAPABILITIES],
        // Docker's default seccomp profile would refuse runc's keyctl; ours refuses what reaches past the
        // sandbox. apparmor's docker-default would refuse every mount the nested engine makes.
        SecurityOpt: [`seccomp=${JSON.stringify(sandboxSeccompProfile(opts))}`, 'apparmor=unconfined'],
        // A cgroup namespace of its own: the sandbox sees its own cgroup as the root, never the host's tree,
        // other sandboxes' cgroups or release_agent. The entrypoint opens only `<own>/inner` for writing.
        CgroupnsMode: 'private',
        // /proc/sys stays read-only; the nested engine's bridges need forwarding in the sandbox's own netns.
        Sysctls: { 'net.ipv4.ip_forward': '1' },
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
    // The course's hosts are the only names nested containers resolve (the sandbox's name server answers the rest "no such domain").
    Env: [`DOCKYARD_REGISTRY_MIRROR=${opts.registryMirror ?? MIRROR_URL}`, `DOCKYARD_COURSE_HOSTS=${COURSE_HOSTS.join(' ')}`, ...(opts.env ?? [])],
    Labels: { ...opts.labels, [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'sandbox-docker' },
    HostConfig: dockerSandboxHostConfig(opts),
    NetworkingConfig: { EndpointsConfig: { [network]: {} } },
  };
}
