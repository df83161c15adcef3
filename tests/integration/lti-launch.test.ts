import { generateKeyPair } from 'jose';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../sandbox-server/db/database.ts';
import { CLAIM } from '../../sandbox-server/lti/claims.ts';
import { GradePassback } from '../../sandbox-server/lti/grades.ts';
import { Browser, classroomApp, ORIGIN } from './classroom-client.ts';
import { DATABASES, type TestDatabase } from './databases.ts';
import { postedForm, ROLE, SimulatedPlatform, type PlatformLink, type PlatformUser } from './lti-platform.ts';

const ada: PlatformUser = { sub: 'canvas-user-ada', name: 'Ada Lovelace', email: 'ada@school.example', roles: [ROLE.learner] };
const grace: PlatformUser = { sub: 'canvas-user-grace', name: 'Grace Hopper', email: 'grace@school.example', roles: [ROLE.instructor, ROLE.institutionInstructor] };
const link: PlatformLink = {
  id: 'link-gather',
  context: { id: 'course-101', title: 'Docker 101' },
  custom: { exercise: 'asyncio-gather' },
  targetLinkUri: `${ORIGIN}/modules/asyncio/gather/?from=lms`,
};

describe.each(DATABASES)('LTI 1.3 launches on $name', ({ open }) => {
  let test: TestDatabase;
  let app: Hono;
  let platform: SimulatedPlatform;

  beforeAll(async () => {
    test = await open();
    platform = new SimulatedPlatform(async () => (await app.request(`${ORIGIN}/lti/jwks`)).json(), `${ORIGIN}/lti/launch`);
    await platform.start();
    platform.users.set('hint-ada', ada).set('hint-grace', grace);
    platform.links.set('msg-gather', link);
    app = serverOn(test.database);
  });
  afterAll(async () => {
    await platform?.stop();
    await test?.dispose();
  });

  const serverOn = (database: Database) => {
    const platforms = [platform.registration()];
    return classroomApp(database, { lti: { platforms, grades: new GradePassback(database.db, platforms) } });
  };

  /** The platform starts a login at Dockyard; Dockyard sends the browser to the platform's authorization URL. */
  async function login(browser: Browser, hint: string, server = app, method: 'GET' | 'POST' = 'GET'): Promise<URL> {
    const query = new URLSearchParams({ iss: platform.issuer, login_hint: hint, target_link_uri: link.targetLinkUri, lti_message_hint: 'msg-gather', client_id: platform.clientId });
    // Canvas posts the login initiation as a form, Moodle sends it as a GET: both are taken.
    const res =
      method === 'GET'
        ? await server.request(`${ORIGIN}/lti/login?${query}`)
        : await server.request(`${ORIGIN}/lti/login`, { method: 'POST', body: query.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.origin } });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin + to.pathname).toBe(`${platform.origin}/auth`);
    return to;
  }

  /** The browser posts the platform's form to the launch URL, as from the platform's page. */
  const launch = (browser: Browser, form: { id_token: string; state: string }) =>
    browser.request('POST', '/lti/launch', new URLSearchParams(form).toString(), { origin: platform.origin, 'content-type': 'application/x-www-form-urlencoded' });

  /** A whole launch: login, the platform's signed answer, the post back. */
  async function fullLaunch(browser: Browser, hint: string, method: 'GET' | 'POST' = 'GET'): Promise<Response> {
    const auth = await login(browser, hint, app, method);
    const answer = await fetch(auth);
    expect(answer.status).toBe(200);
    const form = postedForm(await answer.text());
    expect(form.action).toBe(`${ORIGIN}/lti/launch`);
    return launch(browser, form);
  }

  /** A login whose state and nonce a forger then uses with claims of their own. */
  async function forged(browser: Browser, change: (claims: Record<string, unknown>) => Record<string, unknown>, key?: CryptoKey): Promise<Response> {
    const auth = await login(browser, 'hint-ada');
    const claims = change(platform.launchClaims(ada, link, auth.searchParams.get('nonce')!));
    return launch(browser, { id_token: await platform.sign(claims, key), state: auth.searchParams.get('state')! });
  }

  /** A refused launch: a page saying why, and nobody signed in. */
  async function expectRefused(res: Response, status: number, says: RegExp, browser: Browser): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toMatch(says);
    expect(browser.cookie).toBeUndefined();
    expect((await browser.json('GET', '/api/auth/me')).status).toBe(401);
  }

  it("signs a student in from their course, into the course's class, and lands on the linked page", async () => {
    const browser = new Browser(app);
    const res = await fullLaunch(browser, 'hint-ada');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/modules/asyncio/gather/?from=lms');
    const me = await browser.json('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'student', displayName: 'Ada Lovelace', email: 'ada@school.example', classes: [{ name: 'Docker 101', closedAt: null }] });
    // The cookie works on the student's own API, and a second launch is the same student in the same class.
    expect((await browser.json('GET', '/api/me/checks')).status).toBe(200);
    const again = new Browser(app);
    expect((await fullLaunch(again, 'hint-ada')).status).toBe(303);
    const meAgain = (await again.json('GET', '/api/auth/me')).body;
    expect(meAgain.id).toBe(me.body.id);
    expect(meAgain.classes).toEqual(me.body.classes);
  });

  it("signs the course's instructor in as the owner of its class, with the students who came before", async () => {
    const student = new Browser(app);
    expect((await fullLaunch(student, 'hint-ada')).status).toBe(303);
    const adaId = (await student.json('GET', '/api/auth/me')).body.id;
    const browser = new Browser(app);
    expect((await fullLaunch(browser, 'hint-grace', 'POST')).status).toBe(303);
    const me = (await browser.json('GET', '/api/auth/me')).body;
    expect(me).toMatchObject({ role: 'instructor', displayName: 'Grace Hopper', classes: [{ name: 'Docker 101' }] });
    const cls = (await browser.json('GET', `/api/classes/${me.classes[0].id}`)).body;
    expect(cls.students.map((s: { userId: string }) => s.userId)).toEqual([adaId]);
    // The student's class is the instructor's: one class for the course.
    expect((await student.json('GET', '/api/auth/me')).body.classes[0].id).toBe(me.classes[0].id);
  });

  it('refuses a forged launch: an id_token signed with another key', async () => {
    const browser = new Browser(app);
    const { privateKey } = await generateKeyPair('RS256');
    await expectRefused(await forged(browser, (c) => c, privateKey), 401, /signature verification failed/, browser);
  });

  it('refuses a launch for another tool: a wrong audience, or several audiences with another azp', async () => {
    const browser = new Browser(app);
    await expectRefused(await forged(browser, (c) => ({ ...c, aud: 'another-tool' })), 401, /aud/, browser);
    await expectRefused(await forged(browser, (c) => ({ ...c, aud: [platform.clientId, 'another-tool'], azp: 'another-tool' })), 401, /another-tool, not this tool/, browser);
    await expectRefused(await forged(browser, (c) => ({ ...c, aud: [platform.clientId, 'another-tool'] })), 401, /no authorized party/, browser);
  });

  it('refuses a replayed launch, on the same server, on a second server of the same database, and with a fresh login', async () => {
    const first = new Browser(app);
    const auth = await login(first, 'hint-ada');
    const form = postedForm(await (await fetch(auth)).text());
    expect((await launch(first, form)).status).toBe(303);
    const replayer = new Browser(app);
    await expectRefused(await launch(replayer, form), 401, /used already/, replayer);
    const second = await openDatabase(test.settings);
    try {
      const other = serverOn(second);
      const there = new Browser(other);
      await expectRefused(await launch(there, form), 401, /used already/, there);
    } finally {
      await second.close();
    }
    // The captured token with the state of a login of the replayer's own: the nonce is not that login's.
    const fresh = await login(replayer, 'hint-ada');
    await expectRefused(await launch(replayer, { id_token: form.id_token, state: fresh.searchParams.get('state')! }), 401, /nonce/, replayer);
  });

  it('refuses an expired launch, and one issued too long ago', async () => {
    const browser = new Browser(app);
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectRefused(await forged(browser, (c) => ({ ...c, iat: past - 300, exp: past })), 401, /&quot;exp&quot; claim timestamp check failed/, browser);
    await expectRefused(await forged(browser, (c) => ({ ...c, iat: past, exp: past + 7200 })), 401, /&quot;iat&quot; claim/, browser);
  });

  it('refuses a launch from a deployment that is not registered, an unknown platform, or a message that is not a resource link launch', async () => {
    const browser = new Browser(app);
    await expectRefused(await forged(browser, (c) => ({ ...c, [CLAIM.deploymentId]: 'deployment-2' })), 401, /Deployment deployment-2 .* is not registered/, browser);
    await expectRefused(await forged(browser, (c) => ({ ...c, [CLAIM.messageType]: 'LtiDeepLinkingRequest' })), 401, /LtiResourceLinkRequest/, browser);
    await expectRefused(await forged(browser, (c) => ({ ...c, [CLAIM.version]: '1.1' })), 401, /1\.3\.0/, browser);
    const unknown = await app.request(`${ORIGIN}/lti/login?${new URLSearchParams({ iss: 'https://lms.elsewhere.example', login_hint: 'x', target_link_uri: ORIGIN })}`);
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toMatch(/No LMS https:\/\/lms\.elsewhere\.example is registered/);
    const wrongDeployment = await app.request(`${ORIGIN}/lti/login?${new URLSearchParams({ iss: platform.issuer, login_hint: 'x', target_link_uri: ORIGIN, lti_deployment_id: 'deployment-2' })}`);
    expect(wrongDeployment.status).toBe(403);
  });

  it('answers an oversized launch body with 413, before reading it whole', async () => {
    const browser = new Browser(app);
    const res = await launch(browser, { id_token: 'x'.repeat(2 * 1024 * 1024), state: 'y' });
    expect(res.status).toBe(413);
    expect(browser.cookie).toBeUndefined();
  });

  it("lands only on this site's pages: a target link to another site or to the API lands on the course's home", async () => {
    for (const target of ['https://evil.example/phish', '//evil.example/x', `${ORIGIN}/api/auth/sign-out`]) {
      const browser = new Browser(app);
      const res = await forged(browser, (c) => ({ ...c, [CLAIM.targetLinkUri]: target }));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('publishes the tool key as a JWKS with no private part', async () => {
    const jwks = (await (await app.request(`${ORIGIN}/lti/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);
  });
});
