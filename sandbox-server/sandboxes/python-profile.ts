import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_ROLE } from '../base/names.ts';

/** The image of python-kind sandboxes. */
export const SANDBOX_PYTHON_IMAGE = 'dockyard/sandbox-python:latest';

/** What a python-kind sandbox container needs to be created. */
export interface PythonSandboxOptions {
  name: string;
  memoryBytes: number;
  pidsLimit: number;
  /** CPU share in whole CPUs (1 = one core). */
  cpus: number;
  /** Size of the writable work folder /work, in bytes. */
  workBytes: number;
  image?: string;
  labels?: Record<string, string>;
}

/**
 * Create options for an unprivileged Python runtime: non-root, no capabilities, no new
 * privileges, read-only root with small tmpfs work dirs, no network, limits, an init process.
 */
export function pythonSandboxCreateOptions(opts: PythonSandboxOptions): Docker.ContainerCreateOptions {
  return {
    name: opts.name,
    Image: opts.image ?? SANDBOX_PYTHON_IMAGE,
    Hostname: 'sandbox',
    User: '1000:1000',
    WorkingDir: '/work',
    Env: ['HOME=/work', 'PYTHONDONTWRITEBYTECODE=1', 'PYTHONUNBUFFERED=1'],
    Cmd: ['sleep', 'infinity'],
    Labels: { ...opts.labels, [LABEL_MANAGED]: 'true', [LABEL_ROLE]: 'sandbox-python' },
    NetworkDisabled: true,
    HostConfig: {
      Init: true,
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Tmpfs: {
        '/work': `rw,nosuid,nodev,size=${opts.workBytes},uid=1000,gid=1000,mode=0700`,
        '/tmp': `rw,nosuid,nodev,noexec,size=${Math.min(opts.workBytes, 16 * 1024 * 1024)},mode=1777`,
      },
      Memory: opts.memoryBytes,
      MemorySwap: opts.memoryBytes,
      PidsLimit: opts.pidsLimit,
      NanoCpus: Math.round(opts.cpus * 1e9),
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
    },
  };
}
