import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { pythonSandboxCreateOptions } from '../../sandboxes/python-profile.ts';

/** Resource limits of one python check or run. */
export interface CheckLimits {
  wallMs: number;
  cpus: number;
  memoryBytes: number;
  pidsLimit: number;
  /** Real-time guard per check (and for the import), in seconds. */
  checkSeconds: number;
  maxOutputBytes: number;
}

/** Default limits: 20 s wall, 1 CPU, 256 MiB, 64 pids, 5 s per check, 1 MiB output. */
export const DEFAULT_CHECK_LIMITS: CheckLimits = {
  wallMs: 20_000,
  cpus: 1,
  memoryBytes: 256 * 1024 * 1024,
  pidsLimit: 64,
  checkSeconds: 5,
  maxOutputBytes: 1024 * 1024,
};

const WORK_BYTES = 16 * 1024 * 1024;

/** The only environment a submission's process sees. */
export const PYTHON_RUN_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/work', 'LANG=C.UTF-8'];

/** The uid the submission's own process runs as in a check (the check program's process is root without DAC rights). */
export const STUDENT_UID = 1001;

/**
 * What a check container adds to the python sandbox profile: the trusted process (root, no other capability)
 * may start the submission's process under STUDENT_UID and signal it; /work belongs to that uid.
 */
export function checkBoundary(base: Docker.ContainerCreateOptions, workBytes: number): Docker.ContainerCreateOptions {
  const tmpfs = { ...base.HostConfig?.Tmpfs, '/work': `rw,nosuid,nodev,size=${workBytes},uid=${STUDENT_UID},gid=${STUDENT_UID},mode=0700` };
  // The container's own user is root too: the engine grants an exec the capabilities of the container's user.
  return { ...base, User: '0:0', HostConfig: { ...base.HostConfig, CapAdd: ['SETUID', 'SETGID', 'KILL'], Tmpfs: tmpfs } };
}

/**
 * Creates and starts a fresh, unprivileged, networkless python container with the check limits; `boundary`: a
 * check's container, where the submission runs in a process of its own (see checkBoundary).
 */
export async function startPythonContainer(
  docker: Docker,
  limits: CheckLimits,
  labels: Record<string, string>,
  image?: string,
  boundary = false,
): Promise<Docker.Container> {
  const base = pythonSandboxCreateOptions({
    name: `dockyard-check-${randomBytes(6).toString('hex')}`,
    memoryBytes: limits.memoryBytes,
    pidsLimit: limits.pidsLimit,
    cpus: limits.cpus,
    workBytes: WORK_BYTES,
    labels,
    ...(image ? { image } : {}),
  });
  const options = boundary ? checkBoundary(base, WORK_BYTES) : base;
  const container = await docker.createContainer({ ...options, Env: PYTHON_RUN_ENV });
  await container.start();
  return container;
}

/**
 * Where a harness runs in a python container, with only PATH, HOME and LANG: a run as user 1000; a check
 * (`boundary`) as the container's root, which starts the submission's own process under STUDENT_UID.
 */
export function pythonTarget(docker: Docker, container: Docker.Container, boundary = false) {
  return { docker, containerId: container.id, user: boundary ? '0:0' : '1000:1000', env: PYTHON_RUN_ENV, python: 'python3' };
}
