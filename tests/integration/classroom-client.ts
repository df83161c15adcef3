import { join } from 'node:path';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { Verdict } from '../../sandbox-server/checkers/verdict.ts';
import type { Database } from '../../sandbox-server/db/database.ts';
import { createApp, type AppDeps } from '../../sandbox-server/http/app.ts';

/** The origin the tests' requests go to (in-process, no socket). */
export const ORIGIN = 'http://localhost';
/** The admin token the test servers are given. */
export const ADMIN = 'admin-token-of-at-least-16';

/** A stand-in for the built course site: the join and sign-in pages the links open. */
export const FIXTURE_SITE = join(import.meta.dirname, '..', 'fixtures', 'classroom-site');

/** A server with the classroom on `database`, a stand-in site and no engine (the classroom needs none). */
export function classroomApp(database: Database, over: Partial<AppDeps> = {}): Hono {
  const down = { ok: false as const, error: 'no engine needed here' };
  return createApp({
    probeEngine: async () => down,
    engineState: () => down,
    imageStatus: async () => ({ ready: false, missing: [] }),
    imageNames: () => [],
    engineAddress: 'unix:///nowhere',
    classroom: { db: database.db, adminToken: ADMIN },
    siteDir: FIXTURE_SITE,
    ...over,
  });
}

/** One browser on the server's own page: it sends its Origin and keeps the session cookie the server sets. */
export class Browser {
  cookie: string | undefined;
  app: Hono;
  constructor(app: Hono) {
    this.app = app;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, headers: { origin: ORIGIN, ...headers } };
    const h = init.headers as Record<string, string>;
    if (h.origin === '') delete h.origin;
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    if (this.cookie) h.cookie = this.cookie;
    const res = await this.app.request(`${ORIGIN}${path}`, init);
    const set = res.headers.get('set-cookie');
    if (set) {
      const value = /dockyard_session=([^;]*)/.exec(set)?.[1];
      this.cookie = value ? `dockyard_session=${value}` : undefined;
    }
    return res;
  }

  async json<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request(method, path, body);
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as T };
  }
}

/** An instructor made through the admin API and signed in by their link, in a new browser. */
export async function signedInInstructor(app: Hono, email: string): Promise<Browser> {
  const admin = new Browser(app);
  const made = await admin.request('POST', '/api/admin/instructors', { email, name: 'Grace' }, { authorization: `Bearer ${ADMIN}` });
  expect(made.status).toBe(201);
  const { signInUrl } = (await made.json()) as { signInUrl: string };
  const token = new URL(signInUrl).searchParams.get('token')!;
  const browser = new Browser(app);
  expect((await browser.json('POST', '/api/auth/sign-in', { token })).status).toBe(200);
  return browser;
}

/** The join code of a class's join link. */
export function joinCode(joinUrl: string): string {
  return new URL(joinUrl).pathname.split('/').pop()!;
}

/** A verdict of one check, scored out of 2. */
export function verdict(status: 'pass' | 'fail', score: number): Verdict {
  return {
    version: 3,
    status,
    tests: [{ name: 'the container runs', status }],
    score,
    max_score: 2,
    resources: { wall_ms: 10, exit_code: 0, oom_killed: false, output_truncated: false },
  };
}
