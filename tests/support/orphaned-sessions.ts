import type Docker from 'dockerode';
import { ownerAlive } from '../../sandbox-server/docker/owner.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { listMarkers, removeMarker } from '../../sandbox-server/sessions/markers.ts';

/**
 * Removes the sessions (sandbox and marker) whose service process on this host has ended. A
 * service restarted after a crash re-adopts such sessions, which is right for a course but not
 * for a test run: a test server killed midway by an earlier run would otherwise leave sessions
 * that every later test server adopts and counts against the one test client's caps.
 */
export async function removeOrphanedSessions(docker: Docker, log: (line: string) => void = console.log): Promise<number> {
  const driver = new SandboxDriver(docker);
  const { markers } = await listMarkers(docker);
  const orphans = markers.filter((m) => ownerAlive(m.owner) === false);
  for (const marker of orphans) {
    await driver.remove({ id: marker.sandboxId });
    await removeMarker(docker, marker.id);
  }
  if (orphans.length > 0) log(`[setup] removed ${orphans.length} session(s) left by test servers that ended without stopping`);
  return orphans.length;
}
