import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_OWNER, LABEL_POOL, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { ownerLabel } from '../../sandbox-server/docker/owner.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const docker = connectEngine();
const ADMIN = 'admin-token-of-at-least-16';

/** One browser on the server's page: it keeps the session cookie. */
class Browser {
  cookie: string | undefined;
  server: RunningServer;
  constructor(server: RunningServer) {
    this.server = server;
  }
  async json<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { origin: new URL(this.server.url).origin, ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    const res = await fetch(new URL(path.slice(1), this.server.url), { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const set = /dockyard_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (set) this.cookie = `dockyard_session=${set}`;
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as T };
  }
}

/** Waits until `probe` holds, polling; fails naming `what` after `ms`. */
async function until(what: string, probe: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A class of three with a start time, on a real server and the real engine: before the start its docker
 * pool holds three more ready sandboxes, three students pressing Start at once each get one of them, and
 * after the window the extra ones are removed and nothing is left.
 */
describe('a class that starts at once', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dockyard-prewarm-'));
    server = await startServer(
      {
        DOCKYARD_DATA_DIR: dataDir,
        DOCKYARD_SKIP_IMAGES: '1',
        DOCKYARD_SKIP_SITE_BUILD: '1',
        DOCKYARD_ADMIN_TOKEN: ADMIN,
        DOCKYARD_POOL_DOCKER: '0',
        DOCKYARD_POOL_PYTHON: '0',
        DOCKYARD_HEARTBEAT_SECONDS: '1',
        DOCKYARD_MAX_SESSIONS_PER_CLIENT: '3',
        DOCKYARD_CLASS_PREWARM_MINUTES: '10',
        DOCKYARD_CLASS_PREWARM_HOLD_MINUTES: '10',
        DOCKYARD_CLASS_PREWARM_MAX: '3',
      },
      { sandboxes: true },
    );
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const health = async () =>
    ((await (await fetch(new URL('api/health', server.url))).json()) as { sandboxes: { warm: { docker: number } } }).sandboxes.warm.docker;
  /** The sandboxes this server made that are in the engine; with `pooled`, only those made for its docker pool. */
  const madeBy = async (pooled = false) => {
    const label = [`${LABEL_OWNER}=${ownerLabel(server.pid)}`, ...(pooled ? [`${LABEL_POOL}=docker`] : [])];
    const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
    return containers.map((c) => c.Labels[LABEL_SANDBOX]!).sort();
  };

  it('holds one ready sandbox per student before the start, serves them at once, and releases the rest after', async () => {
    expect(await health()).toBe(0);
    const grace = new Browser(server);
    const made = await grace.json('POST', '/api/admin/instructors', { email: 'prewarm@example.org', name: 'Grace' }, { authorization: `Bearer ${ADMIN}` });
    expect(made.status).toBe(201);
    expect((await grace.json('POST', '/api/auth/sign-in', { token: new URL(made.body.signInUrl).searchParams.get('token') })).status).toBe(200);
    const cls = await grace.json('POST', '/api/classes', { name: 'Docker at nine' });
    const code = new URL(cls.body.joinUrl).pathname.split('/').pop()!;
    for (const name of ['Ada', 'Linus', 'Grace H']) expect((await new Browser(server).json('POST', `/api/join/${code}`, { displayName: name })).status).toBe(201);

    // Two minutes from now: within the lead time, so the pool grows by the class of three.
    const start = await grace.json('PUT', `/api/classes/${cls.body.id}/start`, { startsAt: new Date(Date.now() + 2 * 60_000).toISOString() });
    expect(start.status).toBe(200);
    const filling = Date.now();
    await until('three pre-warmed docker sandboxes', async () => (await health()) >= 3, 180_000);
    console.log(`pre-warm: 3 docker sandboxes ready in ${Date.now() - filling} ms`);
    const pooled = await madeBy(true);
    expect(pooled).toHaveLength(3);

    // The class presses Start at once.
    const t0 = Date.now();
    const sessions = await Promise.all(
      [0, 1, 2].map(async () => {
        const res = await fetch(new URL('api/sessions', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'docker' }) });
        const ms = Date.now() - t0;
        expect(res.status).toBe(201);
        return { ...((await res.json()) as { id: string; token: string }), ms };
      }),
    );
    console.log(`class start: 3 docker sessions ready in ${sessions.map((s) => s.ms).join(', ')} ms`);
    const sandboxes = await Promise.all(
      sessions.map(async (s) => (await docker.getVolume(`dockyard-session-${s.id}`).inspect()).Labels['dockyard.session.sandboxId']!),
    );
    // Each student got one of the sandboxes made before the start, none made on demand.
    expect(sandboxes.sort()).toEqual(pooled);

    // The window ends (the start moved into the past, beyond the hold): the pool shrinks back to none.
    await grace.json('PUT', `/api/classes/${cls.body.id}/start`, { startsAt: new Date(Date.now() - 60 * 60_000).toISOString() });
    await until('the extra sandboxes removed', async () => (await health()) === 0 && (await madeBy()).length === 3, 120_000);
    expect((await madeBy()).sort()).toEqual(pooled);

    for (const s of sessions) {
      const res = await fetch(new URL(`api/sessions/${s.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
      expect(res.status).toBe(204);
    }
    // Nothing of the server's is left: containers, storage volumes, networks (a sandbox's volume goes after its container).
    const mine = JSON.stringify({ label: [`${LABEL_OWNER}=${ownerLabel(server.pid)}`] });
    const left = async () => [
      ...(await madeBy()),
      ...((await docker.listVolumes({ filters: mine })).Volumes ?? []).map((v) => v.Name),
      ...(await docker.listNetworks({ filters: mine })).map((n) => n.Name),
    ];
    await until('no sandbox of this server left', async () => (await left()).length === 0, 60_000);
    expect(await left()).toEqual([]);
  }, 420_000);
});
