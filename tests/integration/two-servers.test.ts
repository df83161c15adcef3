import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { projectRoot } from '../../sandbox-server/config.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { markerName, parseMarker } from '../../sandbox-server/sessions/markers.ts';
import { LABEL_OWNER, LABEL_POOL, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { ownerLabel } from '../../sandbox-server/docker/owner.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { postgresUrl } from './databases.ts';

const docker = connectEngine();
const ADMIN = 'admin-token-of-at-least-16';
const exercise = loadExercises(join(projectRoot, 'exercises')).exercises.find((e) => e.slug === 'asyncio-gather')!;
const run = randomBytes(3).toString('hex');

/** One browser: it keeps the session cookie, and sends each request from the page of the server it asks. */
class Browser {
  cookie: string | undefined;
  async json<T = any>(server: RunningServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { origin: new URL(server.url).origin, ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    const res = await fetch(new URL(path.slice(1), server.url), { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const set = /dockyard_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (set) this.cookie = `dockyard_session=${set}`;
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as T };
  }
}

interface Created {
  id: string;
  token: string;
}

/** What session `id` answers on `server` with its token: 200 where it is held, 404 elsewhere. */
async function lookup(server: RunningServer, s: Created): Promise<number> {
  const res = await fetch(new URL(`api/sessions/${s.id}`, server.url), { headers: { authorization: `Bearer ${s.token}` } });
  return res.status;
}

/** The containers of session `id`'s sandbox in the engine (none once it is removed). */
async function sandboxOf(id: string): Promise<{ sandboxId: string; containers: number } | undefined> {
  const marker = parseMarker((await docker.getVolume(markerName(id)).inspect().catch(() => undefined))?.Labels);
  if (!marker) return undefined;
  const containers = await docker.listContainers({ filters: JSON.stringify({ label: [`${LABEL_SANDBOX}=${marker.sandboxId}`] }) });
  return { sandboxId: marker.sandboxId, containers: containers.length };
}

/** The sandboxes a server process made that are still in the engine; with `pool`, those made for its warm python pool. */
async function madeBy(server: RunningServer, pool = false): Promise<string[]> {
  const label = [`${LABEL_OWNER}=${ownerLabel(server.pid)}`, ...(pool ? [`${LABEL_POOL}=python`] : [])];
  const containers = await docker.listContainers({ filters: JSON.stringify({ label }) });
  return containers.map((c) => c.Labels[LABEL_SANDBOX]!).sort();
}

/**
 * Two real server processes on one PostgreSQL database and the one engine, as two Dockyard servers behind a
 * load balancer would run: records, caps and sandboxes stay right across both, through kill -9 and restarts.
 */
describe('two servers sharing one database and one engine', () => {
  let dbUrl: string;
  let a: RunningServer;
  let b: RunningServer;
  const env = (id: string, heartbeat: number) => ({
    DATABASE_URL: dbUrl,
    DOCKYARD_SERVER_ID: `${id}-${run}`,
    DOCKYARD_HEARTBEAT_SECONDS: String(heartbeat),
    DOCKYARD_SKIP_IMAGES: '1',
    // The API is what is under test: two servers building the course site into one folder at once would collide.
    DOCKYARD_SKIP_SITE_BUILD: '1',
    DOCKYARD_ADMIN_TOKEN: ADMIN,
    DOCKYARD_POOL_DOCKER: '0',
    // Two warm python sandboxes for the engine: one each.
    DOCKYARD_POOL_PYTHON: '2',
    DOCKYARD_MAX_SESSIONS_PER_CLIENT: '2',
    DOCKYARD_IDLE_MINUTES: '1',
  });
  const dbName = `dockyard_two_${run}`;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(postgresUrl());
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    // b beats slowly at first, so a kill -9 and a restart fit well within its heartbeat.
    [a, b] = await Promise.all([startServer(env('a', 1), { sandboxes: true }), startServer(env('b', 30), { sandboxes: true })]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it("shows a student's Check on A in B's matrix, holds caps across both, and neither removes the other's sandboxes", async () => {
    expect(exercise, 'the course has the asyncio-gather exercise').toBeDefined();
    // An instructor made on A, signed in on B; a class; a student joins on B.
    const grace = new Browser();
    const made = await grace.json(a, 'POST', '/api/admin/instructors', { email: `two-${run}@example.org`, name: 'Grace' }, { authorization: `Bearer ${ADMIN}` });
    expect(made.status).toBe(201);
    const link = new URL(made.body.signInUrl).searchParams.get('token');
    expect((await grace.json(b, 'POST', '/api/auth/sign-in', { token: link })).status).toBe(200);
    const cls = (await grace.json(b, 'POST', '/api/classes', { name: 'Two servers' })).body;
    const ada = new Browser();
    const joined = await ada.json(b, 'POST', `/api/join/${new URL(cls.joinUrl).pathname.split('/').pop()}`, { displayName: 'Ada' });
    expect(joined.status).toBe(201);
    const adaId = joined.body.student.id as string;

    // Ada's Check on A, in the matrix B answers.
    const checked = await ada.json(a, 'POST', `/api/exercises/${exercise.slug}/check`, { files: exercise.solution });
    expect(checked.status).toBe(200);
    expect(checked.body.status).toBe('pass');
    const matrix = (await grace.json(b, 'GET', `/api/classes/${cls.id}/matrix`)).body;
    expect(matrix.cells[adaId][exercise.slug]).toMatchObject({ state: 'passed', attempts: 1 });

    // The warm pool is the engine's: one each, not two each.
    await expect.poll(async () => [(await madeBy(a, true)).length, (await madeBy(b, true)).length], { timeout: 90_000 }).toEqual([1, 1]);

    // Anonymous visitors from one address: its cap of 2 holds across both servers.
    const anon1 = (await new Browser().json(a, 'POST', '/api/sessions', { kind: 'python' })).body as Created;
    const anon2 = (await new Browser().json(b, 'POST', '/api/sessions', { kind: 'python' })).body as Created;
    expect(anon1.id && anon2.id).toBeTruthy();
    const third = await new Browser().json(a, 'POST', '/api/sessions', { kind: 'python' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('too_many_sessions');

    // Signed in, Ada holds no more than her cap across both: at it, her oldest is released, wherever it runs.
    const onA = (await ada.json(a, 'POST', '/api/sessions', { kind: 'python' })).body as Created;
    const onB = (await ada.json(b, 'POST', '/api/sessions', { kind: 'docker' })).body as Created;
    expect([await lookup(a, onA), await lookup(b, onB)]).toEqual([200, 200]);
    // Her next page, a python one, on B: B releases her oldest, the python sandbox on A; A lets go of it at its next pass.
    const next = (await ada.json(b, 'POST', '/api/sessions', { kind: 'python' })).body as Created;
    expect(await lookup(b, next)).toBe(200);
    expect(await sandboxOf(onA.id)).toBeUndefined();
    await expect.poll(() => lookup(a, onA), { timeout: 90_000, interval: 2000 }).toBe(404);
    // The page after that, on B again: her live docker sandbox there comes back, with a token of its own.
    const again = await ada.json(b, 'POST', '/api/sessions', { kind: 'docker' });
    expect(again.body).toMatchObject({ id: onB.id, reused: true });

    // B killed with -9 and restarted (now beating fast): B takes its sessions back; A touched none of them, nor B A's.
    expect([await lookup(a, anon1), await lookup(b, anon2), await lookup(b, onB), await lookup(b, next)]).toEqual([200, 200, 200, 200]);
    const ofA = await madeBy(a);
    b.kill('SIGKILL');
    await b.stop();
    b = await startServer(env('b', 1), { sandboxes: true });
    await expect.poll(() => b.output(), { timeout: 30_000 }).toContain('re-adopted');
    expect([await lookup(b, onB), await lookup(b, next), await lookup(b, anon2)]).toEqual([200, 200, 200]);
    expect([await lookup(a, onB), await lookup(a, next)]).toEqual([404, 404]);
    expect(await lookup(a, anon1)).toBe(200);
    expect((await sandboxOf(onB.id))?.containers).toBe(1);
    expect((await sandboxOf(anon1.id))?.containers).toBe(1);
    expect(await madeBy(a)).toEqual(expect.arrayContaining(ofA));

    // B killed for good: once its heartbeat lapses, A takes over B's sessions and cleans up after B.
    await expect.poll(async () => (await madeBy(b, true)).length, { timeout: 90_000 }).toBe(1);
    const deadPool = await madeBy(b, true);
    const before = a.output().length;
    b.kill('SIGKILL');
    await b.stop();
    await expect.poll(() => lookup(a, onB), { timeout: 60_000, interval: 1000 }).toBe(200);
    expect([await lookup(a, next), await lookup(a, anon2)]).toEqual([200, 200]);
    // Its pass goes on after the first is served: the log line and the dead warm sandbox's removal follow.
    await expect.poll(() => a.output().slice(before), { timeout: 60_000 }).toMatch(/re-adopted 3 live session/);
    for (const id of deadPool) {
      await expect.poll(() => docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_SANDBOX}=${id}`] }) }), { timeout: 60_000 }).toEqual([]);
    }
    // Nobody touches them now: A ends them when idle (a minute), sandboxes and all.
    await expect.poll(async () => [await sandboxOf(onB.id), await sandboxOf(next.id), await sandboxOf(anon2.id)], { timeout: 150_000, interval: 2000 }).toEqual([undefined, undefined, undefined]);
    for (const s of [onB, next, anon2]) expect(a.output()).toContain(`session ${s.id} ended (idle)`);
  }, 600_000);
});
