import { connectEngine, engineAddress, probeEngine } from '../../sandbox-server/docker/engine.ts';
import { ensureImages } from '../../sandbox-server/images/index.ts';
import { removeOrphanedSessions } from '../support/orphaned-sessions.ts';

/**
 * Integration tests talk to the real engine: without one they fail, loudly, before any test.
 * Sessions of test servers that ended without stopping are removed, and the image kit is made
 * current, so every test file starts from a known engine and finds the images it needs.
 */
export default async function requireEngine(): Promise<void> {
  const docker = connectEngine();
  const probe = await probeEngine(docker, 5000);
  if (!probe.ok) {
    throw new Error(
      `Integration tests need a running Docker engine at ${engineAddress()}: ${probe.error}. ` +
        'Start one (bash scripts/start-engine.sh) or set DOCKER_HOST.',
    );
  }
  await removeOrphanedSessions(docker);
  await ensureImages(docker, { onProgress: (line) => console.log(`[images] ${line}`) });
}
