import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../sandbox-server/http/app.ts';
import { SessionManager } from '../../sandbox-server/sessions/manager.ts';
import { fakeDriver } from '../support/fake-driver.ts';
import { createClass } from '../../sandbox-server/classroom/classes.ts';
import { createUser } from '../../sandbox-server/classroom/accounts.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const ORIGIN = 'http://localhost';

/**
 * Who a cap counts: every request here comes from one address (in-process requests have none,
 * like a class behind one school NAT). The sandboxes are the sessions layer's in-memory driver:
 * what is under test is the counting, with the real database behind the sign-in.
 */
describe.each(DATABASES)('caps by student on $name', ({ open }) => {
  let test: TestDatabase;
  let app: Hono;
  let code: string;
  const up = { ok: true as const, version: 'test' };

  beforeAll(async () => {
    test = await open();
    const { driver } = fakeDriver();
    const sessions = new SessionManager(driver, { maxPerClient: 1, maxSessions: 10, poolSize: { docker: 0, python: 0 } });
    app = createApp({
      probeEngine: async () => up,
      engineState: () => up,
      imageStatus: async () => ({ ready: true, missing: [] }),
      imageNames: () => [],
      engineAddress: 'unix:///test',
      sessions,
      classroom: { db: test.database.db },
    });
    const instructor = await createUser(test.database.db, { role: 'instructor', displayName: 'Grace', email: 'caps@example.org' });
    code = (await createClass(test.database.db, instructor.id, { name: 'Caps', requireEmail: false })).join_code;
  });
  afterAll(() => test?.dispose());

  async function join(name: string): Promise<string> {
    const res = await app.request(`${ORIGIN}/api/join/${code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ displayName: name }),
    });
    expect(res.status).toBe(201);
    return /dockyard_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
  }
  const start = (headers: Record<string, string> = {}, kind = 'python') =>
    app.request(`${ORIGIN}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ kind }) });
  const lookup = (s: { id: string; token: string }) => app.request(`${ORIGIN}/api/sessions/${s.id}`, { headers: { authorization: `Bearer ${s.token}` } });

  it('counts each signed-in student as themself, and anonymous visitors by their address', async () => {
    const ada = await join('Ada');
    const bob = await join('Bob');
    const adaFirst = await start({ cookie: ada, origin: ORIGIN });
    expect(adaFirst.status).toBe(201);
    const bobFirst = await start({ cookie: bob, origin: ORIGIN });
    expect(bobFirst.status).toBe(201);

    // At her cap, Ada moving on to a page with another kind of sandbox gets one: her oldest is released, Bob's is not touched.
    const first = (await adaFirst.json()) as { id: string; token: string };
    const next = await start({ cookie: ada, origin: ORIGIN }, 'docker');
    expect(next.status).toBe(201);
    expect((await lookup(first)).status).toBe(404);
    expect((await lookup((await next.json()) as { id: string; token: string })).status).toBe(200);
    expect((await lookup((await bobFirst.json()) as { id: string; token: string })).status).toBe(200);

    // Anonymous visitors behind the same address share its cap, as before.
    expect((await start()).status).toBe(201);
    const again = await start();
    expect(again.status).toBe(429);
    expect(((await again.json()) as any).error.code).toBe('too_many_sessions');
  });

  it('gives a signed-in student their live sandbox back on the next page, with a token of its own', async () => {
    const cy = await join('Cy');
    const module1 = (await (await start({ cookie: cy, origin: ORIGIN }, 'docker')).json()) as { id: string; token: string; reused?: boolean };
    const module2Res = await start({ cookie: cy, origin: ORIGIN }, 'docker');
    expect(module2Res.status).toBe(201);
    const module2 = (await module2Res.json()) as { id: string; token: string; reused?: boolean };
    expect(module1.reused).toBeUndefined();
    expect(module2).toMatchObject({ id: module1.id, reused: true });
    expect(module2.token).not.toBe(module1.token);
    // Both pages keep working: the first page's token is not replaced.
    expect((await lookup(module1)).status).toBe(200);
    expect((await lookup(module2)).status).toBe(200);
    // Ended, the next page gets a fresh sandbox.
    const del = await app.request(`${ORIGIN}/api/sessions/${module2.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${module2.token}`, cookie: cy, origin: ORIGIN } });
    expect(del.status).toBe(204);
    const module3 = (await (await start({ cookie: cy, origin: ORIGIN }, 'docker')).json()) as { id: string };
    expect(module3.id).not.toBe(module1.id);
  });

  it("refuses another site's page starting a sandbox with a student's cookie", async () => {
    const eve = await join('Eve');
    const res = await start({ cookie: eve, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('csrf_rejected');
    expect((await start({ cookie: eve, origin: ORIGIN })).status).toBe(201);
  });
});
