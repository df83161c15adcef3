import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { removeOrphanedSessions } from '../support/orphaned-sessions.ts';

/**
 * Notes when the browser tests started, so the teardown can end exactly the sessions they created,
 * and removes sessions of earlier test servers that ended without stopping.
 */
export default async function globalSetup(): Promise<void> {
  process.env.DOCKYARD_E2E_STARTED_AT = String(Date.now());
  await removeOrphanedSessions(connectEngine()).catch((err: unknown) => console.log(`[setup] ${(err as Error).message}`));
}
