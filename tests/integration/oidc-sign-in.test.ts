import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { OidcSignIn } from '../../sandbox-server/classroom/oidc.ts';
import { openDatabase, type Database } from '../../sandbox-server/db/database.ts';
import { oidcRedirectUri } from '../../sandbox-server/http/classroom/oidc-routes.ts';
import { ADMIN, classroomApp, joinCode, ORIGIN, signedInInstructor } from './classroom-client.ts';
import { DATABASES, type TestDatabase } from './databases.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';

/**
 * One browser across Dockyard (in-process) and the OpenID provider (a real server on loopback):
 * it keeps each side's cookies and follows redirects by hand, so each hop can be looked at.
 */
class Browser {
  readonly dockyard = new Map<string, string>();
  readonly provider = new Map<string, string>();

  static keep(jar: Map<string, string>, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
  }

  static header(jar: Map<string, string>): string {
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A navigation to Dockyard at `path` (no redirect followed). */
  async open(app: Hono, path: string, accept = 'application/json'): Promise<Response> {
    const res = await app.request(`${ORIGIN}${path}`, { headers: { cookie: Browser.header(this.dockyard), accept } });
    Browser.keep(this.dockyard, res);
    return res;
  }

  async me(app: Hono): Promise<{ status: number; body: any }> {
    const res = await app.request(`${ORIGIN}/api/auth/me`, { headers: { cookie: Browser.header(this.dockyard) } });
    return { status: res.status, body: await res.json() };
  }

  /** At the provider: from the authorization URL through its login and consent pages, to the redirect back to Dockyard. */
  async signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
    let next: { url: URL; init?: RequestInit } = { url: new URL(authorizationUrl) };
    for (let hop = 0; hop < 12; hop++) {
      const res = await fetch(next.url, { ...next.init, redirect: 'manual', headers: { ...next.init?.headers, cookie: Browser.header(this.provider) } });
      Browser.keep(this.provider, res);
      const location = res.headers.get('location');
      if (location) {
        const to = new URL(location, next.url);
        if (to.origin === ORIGIN) return to;
        next = { url: to };
        continue;
      }
      const page = await res.text();
      expect(res.status, page).toBe(200);
      // The provider's own pages: a login form (any login), then a consent form.
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      if (!action) throw new Error(`the provider's page has no form:\n${page}`);
      const fields: Record<string, string> = page.includes('name="login"') ? { prompt: 'login', login, password: 'any' } : { prompt: 'consent' };
      next = {
        url: new URL(action, next.url),
        init: { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      };
    }
    throw new Error('the provider never sent the browser back to Dockyard');
  }

  /** Presses "Sign in with …": start, the provider's pages, up to (not into) the callback. */
  async startAndSignIn(app: Hono, login: string, opts: { returnTo?: string; alter?: (url: URL) => void } = {}): Promise<URL> {
    const start = await this.open(app, `/api/auth/oidc/start${opts.returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(opts.returnTo)}`}`);
    expect(start.status).toBe(302);
    const authorization = new URL(start.headers.get('location')!);
    opts.alter?.(authorization);
    return this.signInAtProvider(authorization.href, login);
  }
}

const callbackPath = (url: URL) => `${url.pathname}${url.search}`;

describe.each(DATABASES)('institutional sign-in (OpenID Connect) on $name', ({ open }) => {
  let test: TestDatabase;
  let second: Database;
  let provider: TestProvider;
  let app: Hono;
  let otherServer: Hono;

  beforeAll(async () => {
    test = await open();
    second = await openDatabase(test.settings);
    provider = await startTestProvider([oidcRedirectUri(ORIGIN)]);
    const oidc = () =>
      new OidcSignIn({
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        name: 'Example University',
        instructorEmails: ['grace@school.example', 'unverified@school.example'],
      });
    app = classroomApp(test.database, { classroom: { db: test.database.db, adminToken: ADMIN, oidc: oidc() } });
    // A second server on the same database and the same configuration.
    otherServer = classroomApp(second, { classroom: { db: second.db, adminToken: ADMIN, oidc: oidc() } });
  });
  afterAll(async () => {
    await provider?.close();
    await second?.close();
    await test?.dispose();
  });

  const countUsers = async () => Number((await test.database.db.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('tells the sign-in page about the button, and answers 404 with OIDC off', async () => {
    const providers = await new Browser().open(app, '/api/auth/providers');
    expect(await providers.json()).toEqual({ oidc: { name: 'Example University', startUrl: '/api/auth/oidc/start' } });

    const off = classroomApp(test.database);
    expect(await (await new Browser().open(off, '/api/auth/providers')).json()).toEqual({ oidc: null });
    for (const path of ['/api/auth/oidc/start', '/api/auth/oidc/callback?code=x&state=y']) {
      const res = await new Browser().open(off, path);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('oidc_off');
    }
  });

  it('answers 503 while the provider cannot be reached, and signs in once it can', async () => {
    const { createServer } = await import('node:net');
    // A port that was free a moment ago and now refuses connections.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const down = new OidcSignIn({ issuer: `http://127.0.0.1:${port}`, clientId: provider.clientId, clientSecret: provider.clientSecret, name: 'Down', instructorEmails: [] });
    const offline = classroomApp(test.database, { classroom: { db: test.database.db, adminToken: ADMIN, oidc: down } });
    const res = await new Browser().open(offline, '/api/auth/oidc/start');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('oidc_unavailable');
    const page = await new Browser().open(offline, '/api/auth/oidc/start', 'text/html');
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/cannot be reached/);

    // The provider comes up: the next sign-in discovers it, without a restart.
    const late = await startTestProvider([oidcRedirectUri(ORIGIN)], port);
    try {
      const started = await new Browser().open(offline, '/api/auth/oidc/start');
      expect(started.status).toBe(302);
      expect(new URL(started.headers.get('location')!).origin).toBe(late.issuer);
    } finally {
      await late.close();
    }
  });

  it('signs a new student in through the provider, and the same student again on a later sign-in on another server', async () => {
    const before = await countUsers();
    const first = new Browser();
    const start = await first.open(app, '/api/auth/oidc/start?returnTo=/lessons/first-container/');
    expect(start.status).toBe(302);
    const authorization = new URL(start.headers.get('location')!);
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['state', 'nonce', 'code_challenge']) expect(authorization.searchParams.get(p)?.length).toBeGreaterThanOrEqual(22);
    const loginCookie = start.headers.getSetCookie().find((c) => c.startsWith('dockyard_oidc='))!;
    expect(loginCookie).toMatch(/HttpOnly/i);
    expect(loginCookie).toMatch(/SameSite=Lax/i);
    expect(loginCookie).toMatch(/Path=\/api\/auth\/oidc/);

    const back = await first.signInAtProvider(authorization.href, 'ada');
    expect(back.pathname).toBe('/api/auth/oidc/callback');
    const done = await first.open(app, callbackPath(back));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/lessons/first-container/');
    expect(first.dockyard.has('dockyard_oidc')).toBe(false);
    const me = await first.me(app);
    expect(me.body).toMatchObject({ role: 'student', displayName: 'Student ada', email: 'ada@school.example' });
    expect(await countUsers()).toBe(before + 1);
    const identity = await test.database.db.selectFrom('identities').selectAll().where('subject', '=', 'ada').executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ provider: `oidc:${provider.issuer}`, user_id: me.body.id });

    // Another day, another browser: started on one server, finished on the other.
    const later = new Browser();
    const again = await later.startAndSignIn(app, 'ada');
    const landed = await later.open(otherServer, callbackPath(again));
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/');
    expect((await later.me(otherServer)).body.id).toBe(me.body.id);
    expect(await countUsers()).toBe(before + 1);
  });

  it('enrols the signed-in student when they open a join link, as the same user', async () => {
    const instructor = await signedInInstructor(app, 'oidc-join@example.org');
    const made = await instructor.json('POST', '/api/classes', { name: 'Docker, Thursday', requireEmail: true });
    expect(made.status).toBe(201);

    const student = new Browser();
    expect((await student.open(app, callbackPath(await student.startAndSignIn(app, 'lin')))).status).toBe(303);
    const me = (await student.me(app)).body;
    const users = await countUsers();
    // The join form posts the name (and no email: the provider gave a verified one).
    const joined = await app.request(`${ORIGIN}/api/join/${joinCode(made.body.joinUrl)}`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: Browser.header(student.dockyard), 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Lin' }),
    });
    expect(joined.status).toBe(201);
    expect((await joined.json()).student.id).toBe(me.id);
    expect(await countUsers()).toBe(users);
    expect((await student.me(app)).body.classes).toEqual([expect.objectContaining({ name: 'Docker, Thursday' })]);
    const roster = await instructor.json('GET', `/api/classes/${made.body.id}`);
    expect(roster.body.students.map((s: { userId: string }) => s.userId)).toEqual([me.id]);
  });

  it('signs in an instructor only for a listed email the provider verified', async () => {
    provider.accounts.set('grace', { name: 'Grace Hopper', email: 'Grace@School.example', email_verified: true });
    provider.accounts.set('mallory', { name: 'Mallory', email: 'unverified@school.example', email_verified: false });
    const grace = new Browser();
    const landed = await grace.open(app, callbackPath(await grace.startAndSignIn(app, 'grace')));
    expect(landed.headers.get('location')).toBe('/instructor/');
    expect((await grace.me(app)).body).toMatchObject({ role: 'instructor', displayName: 'Grace Hopper' });

    const mallory = new Browser();
    await mallory.open(app, callbackPath(await mallory.startAndSignIn(app, 'mallory')));
    expect((await mallory.me(app)).body).toMatchObject({ role: 'student', email: null });
  });

  it("refuses a callback whose state is not this browser's (another person's sign-in answer), signing no one in", async () => {
    const attacker = new Browser();
    const attackersAnswer = await attacker.startAndSignIn(app, 'attacker');
    const victim = new Browser();
    await victim.open(app, '/api/auth/oidc/start');
    const res = await victim.open(app, callbackPath(attackersAnswer));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('oidc_state_mismatch');
    expect(victim.dockyard.has('dockyard_session')).toBe(false);
    expect((await victim.me(app)).status).toBe(401);

    // Without any sign-in under way in the browser, the same answer is refused too; a person reads why.
    const stranger = new Browser();
    const page = await stranger.open(app, callbackPath(attackersAnswer), 'text/html');
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/<h1>Cannot sign in<\/h1>.*not started in this browser/s);
  });

  it('refuses an ID token that carries another nonce than this sign-in\'s', async () => {
    const browser = new Browser();
    // The provider signs a token for a nonce this browser never sent.
    const back = await browser.startAndSignIn(app, 'nonce', { alter: (url) => url.searchParams.set('nonce', 'a-nonce-from-another-sign-in-attempt') });
    const res = await browser.open(app, callbackPath(back));
    expect(res.status).toBe(401);
    const { error } = await res.json();
    expect(error.code).toBe('oidc_id_token_invalid');
    expect(error.message).toMatch(/nonce/);
    expect(browser.dockyard.has('dockyard_session')).toBe(false);
  });

  it('refuses a replayed callback: the same answer, with the same login cookie, signs in once', async () => {
    const browser = new Browser();
    const back = await browser.startAndSignIn(app, 'replay');
    const copy = new Browser();
    for (const [k, v] of browser.dockyard) copy.dockyard.set(k, v);
    expect((await browser.open(app, callbackPath(back))).status).toBe(303);
    const replay = await copy.open(app, callbackPath(back));
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('oidc_code_rejected');
    expect(copy.dockyard.has('dockyard_session')).toBe(false);
  });

  it('refuses an ID token altered on its way: its signature no longer holds', async () => {
    const altered = new Browser();
    provider.tamperIdToken = (jwt) => {
      const [head, payload, signature] = jwt.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      return [head, Buffer.from(JSON.stringify({ ...claims, sub: 'grace' })).toString('base64url'), signature].join('.');
    };
    try {
      const back = await altered.startAndSignIn(app, 'eve');
      const res = await altered.open(app, callbackPath(back));
      expect(res.status).toBe(401);
      const { error } = await res.json();
      expect(error.code).toBe('oidc_id_token_invalid');
      expect(error.message).toMatch(/signature/i);
      expect(altered.dockyard.has('dockyard_session')).toBe(false);
    } finally {
      provider.tamperIdToken = undefined;
    }
    const subjects = await test.database.db.selectFrom('identities').select('subject').where('subject', '=', 'eve').execute();
    expect(subjects).toEqual([]);
  });

  it('returns only to a path on this site: another site in returnTo, or a forged login cookie, is refused', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\tx', 'javascript:alert(1)', '/api/auth/sign-out']) {
      const res = await new Browser().open(app, `/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`);
      expect(res.status, returnTo).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_return_path');
    }
    const browser = new Browser();
    const back = await browser.startAndSignIn(app, 'redirect', { returnTo: '/lessons/?from=sign-in#top' });
    // The cookie's return path rewritten to another site: its signature no longer holds.
    const signed = decodeURIComponent(browser.dockyard.get('dockyard_oidc')!);
    const [value, signature] = [signed.slice(0, signed.lastIndexOf('.')), signed.slice(signed.lastIndexOf('.') + 1)];
    const pending = JSON.parse(Buffer.from(value, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...pending, returnTo: 'https://evil.example/' })).toString('base64url');
    const copy = new Browser();
    copy.dockyard.set('dockyard_oidc', encodeURIComponent(`${forged}.${signature}`));
    const refused = await copy.open(app, callbackPath(back));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('oidc_no_login');

    const done = await browser.open(app, callbackPath(back));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/lessons/?from=sign-in#top');
  });
});
