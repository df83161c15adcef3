import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../sandbox-server/http/app.ts';
import { SessionManager } from '../../sandbox-server/sessions/manager.ts';
import { reconcile, sweepKept } from '../../sandbox-server/sessions/reconciler.ts';
import { classmatesOf, createClass } from '../../sandbox-server/classroom/classes.ts';
import { createUser } from '../../sandbox-server/classroom/accounts.ts';
import { LABEL_KEPT, LABEL_KEPT_OWNER, LABEL_MANAGED, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { KeptOwnerMismatch, keptNames, listKept, prepareKept } from '../../sandbox-server/docker/kept-storage.ts';
import type { Sandbox } from '../../sandbox-server/docker/driver.ts';
import { trackedDriver } from '../support/tracked-driver.ts';
import { asStudent } from '../support/security.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const ORIGIN = 'http://localhost';
const DAY = 24 * 60 * 60_000;
const TTL = 2 * 60 * 60_000;

/** What a student makes in their docker sandbox: a file in their work folder, an image, a volume with data, a stopped container. */
const MAKE_WORK = [
  'cd /root && echo "notes of the first day" > notes.txt',
  'mkdir -p app && printf "FROM busybox\\nRUN echo built > /built\\n" > app/Dockerfile',
  'docker build -q -t kept-image app',
  'docker volume create kept-data',
  'docker run --rm -v kept-data:/data busybox sh -c "echo in-the-volume > /data/f"',
  'docker run --name kept-ctr busybox true',
].join(' && ');
/** Reads it all back; prints one line per piece. */
const READ_WORK = [
  'cat /root/notes.txt',
  'docker run --rm kept-image cat /built',
  'docker run --rm -v kept-data:/data busybox cat /data/f',
  'docker inspect -f "ctr={{.State.Status}}" kept-ctr',
].join(' ; ');

/**
 * Kept sandboxes on the real engine: a signed-in student's docker sandbox keeps its images, containers, volumes and
 * files between visits; time is the sessions layer's clock, moved by the test to the next day and past the keep
 * time. The engine's reconciler pass runs as the server's does. Sign-in on SQLite (the engine does the keeping).
 */
describe.each(DATABASES.slice(0, 1))('kept sandboxes ($name)', ({ open }) => {
  let test: TestDatabase;
  let app: Hono;
  let manager: SessionManager;
  const tracked = trackedDriver();
  let clock = Date.now();
  const settings = { keepMs: 3 * DAY, keepPerClass: 1, ttlMs: TTL, maxPerClient: 2, poolSize: { docker: 0, python: 0 } };
  const cookies: Record<string, string> = {};
  const users: Record<string, string> = {};

  const makeManager = () =>
    new SessionManager(tracked.driver, settings, { now: () => clock, classmatesOf: (owner) => classmatesOf(test.database.db, owner) });
  const makeApp = (sessions: SessionManager) =>
    createApp({
      probeEngine: async () => ({ ok: true, version: 'test' }),
      engineState: () => ({ ok: true, version: 'test' }),
      imageStatus: async () => ({ ready: true, missing: [] }),
      imageNames: () => [],
      engineAddress: 'unix:///test',
      sessions,
      classroom: { db: test.database.db },
    });

  beforeAll(async () => {
    test = await open();
    await tracked.ready();
    manager = makeManager();
    app = makeApp(manager);
    const db = test.database.db;
    const instructor = await createUser(db, { role: 'instructor', displayName: 'Grace', email: 'kept@example.org' });
    const first = (await createClass(db, instructor.id, { name: 'Morning', requireEmail: false })).join_code;
    const second = (await createClass(db, instructor.id, { name: 'Evening', requireEmail: false })).join_code;
    for (const [name, code] of [['Ada', first], ['Carol', first], ['Bob', second]] as const) {
      const res = await app.request(`${ORIGIN}/api/join/${code}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ displayName: name }),
      });
      expect(res.status).toBe(201);
      cookies[name] = /dockyard_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
      users[name] = (await db.selectFrom('users').select('id').where('display_name', '=', name).executeTakeFirstOrThrow()).id;
    }
  }, 120_000);
  afterAll(async () => {
    for (const m of [manager]) for (const id of [...m.sessions.keys()]) await m.destroy(id, 'test over').catch(() => {});
    // Whatever a failed step left: every kept sandbox of these students.
    clock += 400 * DAY;
    await sweepKept(manager, clock).catch(() => {});
    await test?.dispose();
  });

  const start = (name: string, on = app) =>
    on.request(`${ORIGIN}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: cookies[name]! },
      body: JSON.stringify({ kind: 'docker' }),
    });
  const end = (s: { id: string; token: string }, on = app) =>
    on.request(`${ORIGIN}/api/sessions/${s.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}`, origin: ORIGIN } });
  const sandboxOf = (id: string, m = manager): Sandbox => m.sessions.get(id)!.sandbox;
  const keptOf = async (name: string) => (await listKept(tracked.docker)).find((e) => e.owner === users[name]);
  const objectsOf = async (sandboxId: string) => {
    const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=${sandboxId}`] });
    const [c, v, n] = await Promise.all([
      tracked.docker.listContainers({ all: true, filters }),
      tracked.docker.listVolumes({ filters }),
      tracked.docker.listNetworks({ filters }),
    ]);
    return c.length + (v.Volumes ?? []).length + n.length;
  };

  let adaFirst: Sandbox;

  it('keeps a file, an image, a volume and a stopped container of a student\'s sandbox after the session ends, and gives them back the next day', async () => {
    const res = await start('Ada');
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; token: string; keptUntil?: string };
    expect(Date.parse(created.keptUntil!)).toBe(clock + TTL + 3 * DAY);
    adaFirst = sandboxOf(created.id);
    const made = await asStudent(tracked.driver, adaFirst, MAKE_WORK, 240_000);
    expect(made.exitCode, made.stdout + made.stderr).toBe(0);

    expect((await end(created)).status).toBe(204);
    // The sandbox is gone (its container, network, marker), its storage stays, labelled with its student.
    expect(await objectsOf(adaFirst.id)).toBe(0);
    const kept = await keptOf('Ada');
    expect(kept).toMatchObject({ owner: users.Ada, kind: 'docker', until: clock + TTL + 3 * DAY });

    // The next day the reconciler leaves it: it is within its time.
    clock += DAY;
    expect(await sweepKept(manager, clock)).not.toContain(kept!.key);
    const back = await start('Ada');
    expect(back.status).toBe(201);
    const again = (await back.json()) as { id: string; token: string; keptUntil?: string; reused?: boolean };
    expect(again.reused).toBeUndefined();
    // Coming back extends the keep time from this visit.
    expect(Date.parse(again.keptUntil!)).toBe(clock + TTL + 3 * DAY);
    expect((await keptOf('Ada'))!.until).toBe(clock + TTL + 3 * DAY);
    const sandbox = sandboxOf(again.id);
    expect(sandbox.id).not.toBe(adaFirst.id);
    const read = await asStudent(tracked.driver, sandbox, READ_WORK, 120_000);
    expect(read.stdout.split('\n').filter(Boolean)).toEqual(['notes of the first day', 'built', 'in-the-volume', 'ctr=exited']);
  }, 420_000);

  it('never gives a student another student\'s kept sandbox; a class at its bound refuses a new one with 409', async () => {
    const res = await start('Bob');
    expect(res.status).toBe(201);
    const bob = (await res.json()) as { id: string; token: string };
    const seen = await asStudent(tracked.driver, sandboxOf(bob.id), 'ls /root; docker images -q kept-image; docker volume ls -q; docker ps -aq', 60_000);
    expect(seen.exitCode, seen.stderr).toBe(0);
    expect(seen.stdout).not.toMatch(/notes\.txt|kept-data|app/);
    expect(seen.stdout.trim()).toBe('');
    expect((await keptOf('Bob'))!.key).not.toBe((await keptOf('Ada'))!.key);
    expect((await end(bob)).status).toBe(204);

    // Carol is in Ada's class, whose one kept place Ada holds.
    const carol = await start('Carol');
    expect(carol.status).toBe(409);
    expect(await carol.json()).toMatchObject({ error: { code: 'keep_quota_reached', message: expect.stringContaining('DOCKYARD_KEEP_PER_CLASS') } });
    expect(await keptOf('Carol')).toBeUndefined();

    // Storage named for one student but labelled with another is never mounted for either.
    const forged = keptNames('mallory', 'docker');
    await tracked.docker.createVolume({ Name: forged.engineVolume, Labels: { [LABEL_MANAGED]: 'true', [LABEL_KEPT]: forged.key, [LABEL_KEPT_OWNER]: 'victim' } });
    try {
      await expect(prepareKept(tracked.docker, 'mallory', 'docker', clock + DAY, clock)).rejects.toBeInstanceOf(KeptOwnerMismatch);
    } finally {
      await tracked.docker.getVolume(forged.engineVolume).remove();
      await tracked.docker.getVolume(forged.workVolume).remove().catch(() => {});
    }
  }, 300_000);

  it('a server killed with its sandbox running: the next one adopts the session, ends it at its time limit and keeps the storage', async () => {
    const ada = [...manager.sessions.values()].find((s) => s.clientKey === `user:${users.Ada}`)!;
    // The server is gone without a word: its memory is lost, the engine keeps the sandbox and its marker.
    const restarted = makeManager();
    const report = await reconcile(restarted, clock);
    expect(report.adopted).toContain(ada.id);
    manager.sessions.clear();
    manager = restarted;
    app = makeApp(restarted);
    clock += TTL;
    expect(await restarted.expire()).toContain(ada.id);
    expect(await objectsOf(ada.sandboxId)).toBe(0);
    expect(await keptOf('Ada')).toBeDefined();

    clock += DAY;
    const back = (await (await start('Ada')).json()) as { id: string; token: string };
    const read = await asStudent(tracked.driver, sandboxOf(back.id), READ_WORK, 120_000);
    expect(read.stdout.split('\n').filter(Boolean)).toEqual(['notes of the first day', 'built', 'in-the-volume', 'ctr=exited']);
    expect((await end(back)).status).toBe(204);
  }, 300_000);

  it('after the keep time the storage is removed and nothing of the sandboxes is left', async () => {
    const keys = [(await keptOf('Ada'))!.key, (await keptOf('Bob'))!.key];
    // Just before Ada's time ends: Bob's (kept since the first day) is past its time, Ada's is not.
    clock = (await keptOf('Ada'))!.until - 1;
    expect(await sweepKept(manager, clock)).toEqual([keys[1]]);
    expect(await keptOf('Ada')).toBeDefined();
    clock += 1;
    expect(await sweepKept(manager, clock)).toEqual([keys[0]]);
    const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`, LABEL_KEPT] });
    const left = ((await tracked.docker.listVolumes({ filters })).Volumes ?? []).filter((v) => keys.includes(v.Labels[LABEL_KEPT]!));
    expect(left).toEqual([]);
    await tracked.expectNoneLeft();
  }, 120_000);
});
