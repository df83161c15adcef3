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

/** The only environment a submission's process sees. */
export const PYTHON_RUN_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/work', 'LANG=C.UTF-8'];

/** Creates and starts a fresh, unprivileged, networkless python container with the check limits. */
export async function startPythonContainer(
  docker: Docker,
  limits: CheckLimits,
  labels: Record<string, string>,
  image?: string,
): Promise<Docker.Container> {
  const base = pythonSandboxCreateOptions({
    name: `dockyard-check-${randomBytes(6).toString('hex')}`,
    memoryBytes: limits.memoryBytes,
    pidsLimit: limits.pidsLimit,
    cpus: limits.cpus,
    workBytes: 16 * 1024 * 1024,
    labels,
    ...(image ? { image } : {}),
  });
  const container = await docker.createContainer({ ...base, Env: PYTHON_RUN_ENV });
  await container.start();
  return container;
}

/** Where a harness runs in a python container: as user 1000 with only PATH, HOME and LANG. */
export function pythonTarget(docker: Docker, container: Docker.Container) {
  return { docker, containerId: container.id, user: '1000:1000', env: PYTHON_RUN_ENV, python: 'python3' };
}
