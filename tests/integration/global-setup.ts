import { connectEngine, engineAddress, probeEngine } from '../../sandbox-server/docker/engine.ts';

/** Integration tests talk to the real engine: without one they fail, loudly, before any test. */
export default async function requireEngine(): Promise<void> {
  const probe = await probeEngine(connectEngine(), 5000);
  if (!probe.ok) {
    throw new Error(
      `Integration tests need a running Docker engine at ${engineAddress()}: ${probe.error}. ` +
        'Start one (bash scripts/start-engine.sh) or set DOCKER_HOST.',
    );
  }
}
