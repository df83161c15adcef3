/** Memory of idle containers from the engine's stats API, computed as `docker stats` does (usage minus inactive file cache). */
import type Docker from 'dockerode';
import { LABEL_BENCH } from './cleanup.ts';
import { sleep } from './timing.ts';

/** Memory in use, in bytes, from one stats reading: usage minus inactive_file (cgroup v1: total_inactive_file). */
export function memoryInUse(stats: Docker.ContainerStats): number {
  const mem = stats.memory_stats;
  const usage = mem.usage ?? 0;
  const detail = (mem.stats ?? {}) as Record<string, number | undefined>;
  const v1 = detail['total_inactive_file'];
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = detail['inactive_file'];
  if (v2 !== undefined && v2 < usage) return usage - v2;
  return usage;
}

/** One memory reading of a container (one-shot stats: no wait for a second CPU sample). */
export async function readMemory(docker: Docker, containerId: string): Promise<number> {
  const stats = await docker.getContainer(containerId).stats({ stream: false, 'one-shot': true });
  if (!stats.memory_stats || stats.memory_stats.usage === undefined) throw new Error(`no memory stats for container ${containerId.slice(0, 12)}`);
  return memoryInUse(stats);
}

/** Starts the memory baseline: an idle `busybox sleep 600` container, labelled as the bench's own. */
export async function startIdleBusybox(docker: Docker): Promise<string> {
  const container = await docker.createContainer({
    Image: 'busybox',
    Cmd: ['sleep', '600'],
    Labels: { [LABEL_BENCH]: 'idle-memory-baseline' },
    HostConfig: { AutoRemove: true },
  });
  await container.start();
  return container.id;
}

/** Samples both containers `samples` times, alternating, `intervalMs` apart; returns bytes per sample. */
export async function sampleIdleMemory(
  docker: Docker,
  ids: { sandbox: string; baseline: string },
  samples: number,
  intervalMs = 250,
): Promise<{ sandbox: number[]; baseline: number[] }> {
  const result = { sandbox: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < samples; i += 1) {
    result.sandbox.push(await readMemory(docker, ids.sandbox));
    result.baseline.push(await readMemory(docker, ids.baseline));
    await sleep(intervalMs);
  }
  return result;
}
