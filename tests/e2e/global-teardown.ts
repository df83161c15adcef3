import { readFileSync } from 'node:fs';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { listMarkers, removeMarker } from '../../sandbox-server/sessions/markers.ts';

/** Whether the service process named by a marker's owner label listens on `port` (read from its environment). */
function servedOn(owner: string | undefined, port: string): boolean {
  const pid = /\/(\d+)$/.exec(owner ?? '')?.[1];
  if (!pid) return false;
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PORT=${port}`);
  } catch {
    return false;
  }
}

/**
 * Ends the sessions the browser tests started (the workspace keeps sessions across reloads on
 * purpose, and a test that fails midway cannot end its own): those created since the run began,
 * by this run's server (the one on the e2e port). Sessions of anything else on the engine are left alone.
 */
export default async function globalTeardown(): Promise<void> {
  const since = Number(process.env.DOCKYARD_E2E_STARTED_AT ?? Number.POSITIVE_INFINITY);
  const port = process.env.DOCKYARD_E2E_PORT ?? '4399';
  const docker = connectEngine();
  const driver = new SandboxDriver(docker);
  const { markers } = await listMarkers(docker).catch(() => ({ markers: [] }));
  for (const marker of markers) {
    if (marker.createdAt < since || !servedOn(marker.owner, port)) continue;
    await driver.remove({ id: marker.sandboxId }).catch(() => {});
    await removeMarker(docker, marker.id).catch(() => {});
  }
}
