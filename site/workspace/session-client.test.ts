import { describe, expect, it, vi } from 'vitest';
import { checkHealth, moduleOf, SessionClient, SessionUnavailable, sessionStorageKey, type KeyValueStore } from './session-client.ts';

/** localStorage, faked with a Map. */
function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const created = { id: 's-new', token: 't-new', kind: 'docker', expiresAt: '2026-01-01T00:00:00Z' };

describe('session keys', () => {
  it('are per module and kind, so a module shares one sandbox', () => {
    expect(sessionStorageKey('why-containers', 'docker')).toBe('dockyard:session:why-containers:docker');
    expect(sessionStorageKey('why-containers', 'python')).not.toBe(sessionStorageKey('why-containers', 'docker'));
    expect(moduleOf('/why-containers/what-is-a-container/')).toBe('why-containers');
    expect(moduleOf('why-containers/next-lesson')).toBe('why-containers');
  });
});

describe('SessionClient', () => {
  it('creates and stores a session when none is stored', async () => {
    const store = memoryStore();
    const fetchFn = vi.fn(async () => json(201, created));
    const client = new SessionClient('docker', 'why-containers', store, fetchFn);
    expect(await client.ensure()).toMatchObject({ id: 's-new', token: 't-new', kind: 'docker' });
    expect(fetchFn).toHaveBeenCalledWith('/api/sessions', expect.objectContaining({ method: 'POST', body: '{"kind":"docker"}' }));
    expect(client.stored()?.id).toBe('s-new');
  });

  it('reuses a stored session the server still knows, asking with its bearer token', async () => {
    const store = memoryStore();
    store.setItem(sessionStorageKey('m', 'docker'), JSON.stringify({ id: 's-old', token: 't-old', kind: 'docker' }));
    const fetchFn = vi.fn(async () => json(200, { id: 's-old' }));
    const client = new SessionClient('docker', 'm', store, fetchFn);
    expect((await client.ensure()).id).toBe('s-old');
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(fetchFn).toHaveBeenCalledWith('/api/sessions/s-old', { headers: { authorization: 'Bearer t-old' } });
  });

  it('replaces a stored session that expired (404)', async () => {
    const store = memoryStore();
    store.setItem(sessionStorageKey('m', 'docker'), JSON.stringify({ id: 's-old', token: 't-old', kind: 'docker' }));
    const fetchFn = vi.fn().mockResolvedValueOnce(json(404, { error: { code: 'session_not_found' } })).mockResolvedValueOnce(json(201, created));
    const client = new SessionClient('docker', 'm', store, fetchFn);
    expect((await client.ensure()).id).toBe('s-new');
    expect(JSON.parse(store.getItem(client.key)!).id).toBe('s-new');
  });

  it('ignores damaged entries and entries of another kind', () => {
    const store = memoryStore();
    const client = new SessionClient('python', 'm', store, vi.fn());
    store.setItem(client.key, '{not json');
    expect(client.stored()).toBeUndefined();
    store.setItem(client.key, JSON.stringify({ id: 'a', token: 'b', kind: 'docker' }));
    expect(client.stored()).toBeUndefined();
    client.forget();
    expect(store.map.size).toBe(0);
  });

  it('reports a busy service with its code, message and Retry-After', async () => {
    const fetchFn = vi.fn(async () => json(503, { error: { code: 'at_capacity', message: 'All sandboxes are busy.' } }, { 'retry-after': '7' }));
    const client = new SessionClient('docker', 'm', memoryStore(), fetchFn);
    const err = await client.create().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionUnavailable);
    expect(err).toMatchObject({ code: 'at_capacity', message: 'All sandboxes are busy.', retryAfterMs: 7000 });
  });

  it('throws on an unexpected answer while validating, so the caller retries', async () => {
    const client = new SessionClient('docker', 'm', memoryStore(), vi.fn(async () => json(500, {})));
    await expect(client.validate({ id: 'a', token: 'b', kind: 'docker' })).rejects.toThrow(/500/);
  });

  it('builds the terminal address for http and https pages', () => {
    const client = new SessionClient('docker', 'm', memoryStore(), vi.fn());
    const session = { id: 's1', token: 't/1', kind: 'docker' as const };
    expect(client.terminalUrl(session, { protocol: 'http:', host: 'localhost:4321' }, 100, 30)).toBe(
      'ws://localhost:4321/api/sessions/s1/terminal?token=t%2F1&cols=100&rows=30',
    );
    expect(client.terminalUrl(session, { protocol: 'https:', host: 'dockyard.example' }, 80, 24)).toMatch(/^wss:\/\/dockyard\.example\//);
  });
});

describe('checkHealth', () => {
  it('is ok when the engine answers', async () => {
    expect(await checkHealth(async () => json(200, { docker: { ok: true }, images: { ready: true } }))).toEqual({ ok: true });
  });
  it('passes on the server advice when there is no engine', async () => {
    const res = json(503, { docker: { ok: false }, error: { code: 'engine_unavailable', message: 'Start Docker, then reload.' } });
    expect(await checkHealth(async () => res)).toEqual({ ok: false, advice: 'Start Docker, then reload.' });
  });
  it('says so when the service does not answer at all', async () => {
    const result = await checkHealth(async () => {
      throw new TypeError('fetch failed');
    });
    expect(result.ok).toBe(false);
  });
});
