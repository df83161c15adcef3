import type { SessionManager } from '../../sessions/manager.ts';

/**
 * Makes room for one more session of `clientKey` by ending its oldest live sessions while it
 * is at its cap: a signed-in student who moves on to another module gets a sandbox, never a
 * cap they cannot act on. Sessions still being created are left alone.
 */
export async function releaseOldest(manager: SessionManager, clientKey: string): Promise<void> {
  while (manager.countFor(clientKey) >= manager.settings.maxPerClient) {
    let oldest: { id: string; createdAt: number } | undefined;
    for (const s of manager.sessions.values()) {
      if (s.clientKey === clientKey && (!oldest || s.createdAt < oldest.createdAt)) oldest = s;
    }
    if (!oldest) return;
    await manager.destroy(oldest.id, 'released: its student started another sandbox');
  }
}
