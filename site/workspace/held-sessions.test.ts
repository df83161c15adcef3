import { describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../tests/support/memory-store.ts';
import { describeHeld, endHeld, liveSessions, storedSessions } from './held-sessions.ts';
import { sessionStorageKey, type ListableStore } from './session-client.ts';

const stored = (store: ListableStore, module: string, kind: 'docker' | 'python', createdAt?: number, label?: string) =>
  store.setItem(sessionStorageKey(module, kind), JSON.stringify({ id: `id-${module}`, token: `t-${module}`, kind, createdAt, label }));

describe('the sandboxes a browser holds', () => {
  it('are listed oldest first, without the one asked for and without foreign or damaged entries', () => {
    const store = memoryStore();
    stored(store, 'volumes', 'docker', 3000);
    stored(store, 'images', 'docker', 1000, 'Images');
    stored(store, 'python-asyncio', 'python', 2000);
    stored(store, 'networking', 'docker', 4000);
    store.setItem(sessionStorageKey('compose', 'docker'), '{oops');
    store.setItem('dockyard:progress:v1', '{}');
    const held = storedSessions(store, sessionStorageKey('networking', 'docker'));
    expect(held.map((h) => `${h.module}:${h.kind}`)).toEqual(['images:docker', 'python-asyncio:python', 'volumes:docker']);
  });

  it('are checked with the server: one it ended is forgotten', async () => {
    const store = memoryStore();
    stored(store, 'images', 'docker', 1);
    stored(store, 'volumes', 'docker', 2);
    const fetchFn = vi.fn(async (url: string) => new Response('{}', { status: url.includes('id-images') ? 404 : 200 }));
    vi.stubGlobal('fetch', fetchFn);
    try {
      const live = await liveSessions(store, storedSessions(store, 'none'));
      expect(live.map((h) => h.module)).toEqual(['volumes']);
      expect(store.getItem(sessionStorageKey('images', 'docker'))).toBeNull();
      expect(await endHeld(store, live[0]!)).toBe(true);
      expect(fetchFn).toHaveBeenLastCalledWith('/api/sessions/id-volumes', { method: 'DELETE', headers: { authorization: 'Bearer t-volumes' } });
      expect(store.getItem(sessionStorageKey('volumes', 'docker'))).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('are named by module, kind and age', () => {
    const now = 10 * 60_000;
    const held = (createdAt?: number, label?: string) => ({ module: 'why-containers', kind: 'docker' as const, session: { id: 'a', token: 'b', kind: 'docker' as const, createdAt, label } });
    expect(describeHeld(held(now - 7 * 60_000, 'Why containers'), now)).toBe('Why containers · Docker sandbox, started 7 min ago');
    expect(describeHeld(held(now - 10_000), now)).toBe('Why containers · Docker sandbox, started just now');
    expect(describeHeld(held(), now)).toBe('Why containers · Docker sandbox');
  });
});
