import type { SessionManager } from '../../sessions/manager.ts';

/**
 * Makes room for one more session of `clientKey` by ending its oldest live sessions while it
 * is at its cap, on whichever server of the shared database holds them: a signed-in student who
 * moves on to another module gets a sandbox, never a cap they cannot act on. Sessions still
 * being created are left alone.
 */
export async function releaseOldest(manager: SessionManager, clientKey: string): Promise<void> {
  const held = await manager.sessionsOf(clientKey);
  const live = held.filter((s) => s.sandboxId !== undefined);
  for (let over = held.length - manager.settings.maxPerClient + 1; over > 0 && live.length > 0; over--) {
    await manager.endAnywhere(live.shift()!, 'released: its student started another sandbox');
  }
}
