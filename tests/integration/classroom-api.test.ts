import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { issueSignInLink, pruneExpired, redeemSignInLink } from '../../sandbox-server/classroom/accounts.ts';
import { openDatabase } from '../../sandbox-server/db/database.ts';
import { ClassPrewarm } from '../../sandbox-server/cluster/class-prewarm.ts';
import { recordCheck } from '../../sandbox-server/classroom/records.ts';
import { ADMIN, Browser, classroomApp, joinCode, ORIGIN, signedInInstructor, verdict } from './classroom-client.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const MIN = 60_000;

describe.each(DATABASES)('the classroom API on $name', ({ open }) => {
  let test: TestDatabase;
  let app: Hono;

  beforeAll(async () => {
    test = await open();
    app = classroomApp(test.database);
  });
  afterAll(() => test?.dispose());

  const signedIn = (email: string) => signedInInstructor(app, email);

  it('makes an instructor only with the admin token, signed in once by their link', async () => {
    const anyone = new Browser(app);
    const refused = await anyone.json('POST', '/api/admin/instructors', { email: 'g@example.org', name: 'Grace' });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    const wrong = await anyone.request('POST', '/api/admin/instructors', { email: 'g@example.org', name: 'Grace' }, { authorization: 'Bearer wrong-token-of-16-chars' });
    expect(wrong.status).toBe(401);

    const made = await anyone.request('POST', '/api/admin/instructors', { email: 'g@example.org', name: 'Grace' }, { authorization: `Bearer ${ADMIN}` });
    expect(made.status).toBe(201);
    const { signInUrl, instructor } = (await made.json()) as { signInUrl: string; instructor: { role: string } };
    expect(instructor.role).toBe('instructor');
    expect(signInUrl).toMatch(/^http:\/\/localhost\/sign-in\?token=/);

    // Opening the link shows the site's sign-in page (its button posts); opening it spends nothing.
    const page = await anyone.request('GET', new URL(signInUrl).pathname + new URL(signInUrl).search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-page="sign-in"');

    const token = new URL(signInUrl).searchParams.get('token')!;
    const first = new Browser(app);
    const res = await first.request('POST', '/api/auth/sign-in', { token });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    expect((await first.json('GET', '/api/auth/me')).body).toMatchObject({ role: 'instructor', displayName: 'Grace', email: 'g@example.org' });
  });

  it('refuses a replayed, a forged and an expired sign-in link', async () => {
    const instructor = await signedIn('replay@example.org');
    const me = (await instructor.json('GET', '/api/auth/me')).body;
    const link = await issueSignInLink(test.database.db, me.id, 60_000);
    const one = new Browser(app);
    expect((await one.json('POST', '/api/auth/sign-in', { token: link.token })).status).toBe(200);
    const replay = await new Browser(app).json('POST', '/api/auth/sign-in', { token: link.token });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_link');

    const forged = await new Browser(app).json('POST', '/api/auth/sign-in', { token: `${link.token.slice(0, -2)}xx` });
    expect(forged.status).toBe(401);

    // Spent at the same moment on two servers sharing the database: only one signs in.
    const raced = await issueSignInLink(test.database.db, me.id, 60_000);
    const second = await openDatabase(test.settings);
    const outcomes = await Promise.allSettled([redeemSignInLink(test.database.db, raced.token), redeemSignInLink(second.db, raced.token)]);
    await second.close();
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);

    const old = await issueSignInLink(test.database.db, me.id, 60_000, Date.now() - 120_000);
    const expired = await new Browser(app).json('POST', '/api/auth/sign-in', { token: old.token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('invalid_link');
  });

  it('lets students join an open class by its link, and refuses the link once the class is closed', async () => {
    const instructor = await signedIn('join@example.org');
    const made = await instructor.json('POST', '/api/classes', { name: 'Docker, Tuesday', requireEmail: true });
    expect(made.status).toBe(201);
    const code = joinCode(made.body.joinUrl);

    // The link opens the site's join page, which asks the API what the class is.
    const page = await new Browser(app).request('GET', `/join/${code}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-page="join"');
    expect((await new Browser(app).json('GET', `/api/join/${code}`)).body).toEqual({ name: 'Docker, Tuesday', requireEmail: true });

    const ada = new Browser(app);
    const noEmail = await ada.json('POST', `/api/join/${code}`, { displayName: 'Ada' });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.code).toBe('email_required');
    const badEmail = await ada.json('POST', `/api/join/${code}`, { displayName: 'Ada', email: 'not-an-email' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.message).toMatch(/^email: /);
    const joined = await ada.json('POST', `/api/join/${code}`, { displayName: 'Ada', email: 'ada@example.org' });
    expect(joined.status).toBe(201);
    expect(joined.body.student).toMatchObject({ role: 'student', displayName: 'Ada' });
    // Who is signed in names their class, for the course's header.
    expect((await ada.json('GET', '/api/auth/me')).body).toMatchObject({ displayName: 'Ada', classes: [{ id: made.body.id, name: 'Docker, Tuesday', closedAt: null }] });
    expect((await instructor.json('GET', '/api/auth/me')).body.classes.map((c: { id: string }) => c.id)).toContain(made.body.id);

    // A plain HTML form from the join page works too, and lands on the course.
    const form = await new Browser(app).request('POST', `/api/join/${code}`, 'displayName=Linus&email=linus%40example.org', {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
    });
    expect(form.status).toBe(303);
    const roster = await instructor.json('GET', `/api/classes/${made.body.id}`);
    expect(roster.body.students.map((s: { displayName: string }) => s.displayName)).toEqual(['Ada', 'Linus']);

    expect((await instructor.json('POST', `/api/classes/${made.body.id}/close`)).body.closedAt).toBeTruthy();
    const late = new Browser(app);
    const refused = await late.json('POST', `/api/join/${code}`, { displayName: 'Late', email: 'late@example.org' });
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('class_closed');
    expect(late.cookie).toBeUndefined();
    expect((await late.json('GET', `/api/join/${code}`)).status).toBe(410);
    expect((await ada.json('GET', '/api/auth/me')).body.classes[0].closedAt).toBeTruthy();
    const closedPage = await late.request('GET', `/join/${code}`);
    expect(closedPage.status).toBe(410);
    expect(await closedPage.text()).toContain('data-page="join"');
    expect((await late.json('GET', '/api/join/no-such-code')).status).toBe(404);
    expect((await late.request('GET', '/join/no-such-code')).status).toBe(404);
  });

  it("keeps each student to their own records and each instructor to their own classes", async () => {
    const grace = await signedIn('own@example.org');
    const other = await signedIn('other@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'Mine' })).body;
    const code = joinCode(cls.joinUrl);
    const ada = new Browser(app);
    const bob = new Browser(app);
    const adaId = (await ada.json('POST', `/api/join/${code}`, { displayName: 'Ada' })).body.student.id;
    const bobId = (await bob.json('POST', `/api/join/${code}`, { displayName: 'Bob' })).body.student.id;

    const db = test.database.db;
    const adaCheck = await recordCheck(db, { userId: adaId, exercise: 'run-nginx', submission: { kind: 'files', files: { Dockerfile: 'FROM nginx' } }, verdict: verdict('pass', 2) });
    const bobCheck = await recordCheck(db, { userId: bobId, exercise: 'run-nginx', submission: { kind: 'terminal', sessionId: 's-1' }, verdict: verdict('fail', 0) });

    const mine = await ada.json('GET', '/api/me/checks');
    expect(mine.body.map((r: { id: string }) => r.id)).toEqual([adaCheck.id]);
    expect((await ada.json('GET', `/api/me/checks/${adaCheck.id}`)).body.submission).toEqual({ kind: 'files', files: { Dockerfile: 'FROM nginx' } });
    const stolen = await ada.json('GET', `/api/me/checks/${bobCheck.id}`);
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe('check_not_found');
    expect((await ada.json('GET', `/api/classes/${cls.id}`)).status).toBe(403);
    expect((await ada.json('GET', `/api/classes/${cls.id}/checks`)).status).toBe(403);
    expect((await new Browser(app).json('GET', '/api/me/checks')).status).toBe(401);

    // The class's instructor sees both; another instructor sees the class as not there at all.
    expect((await grace.json('GET', `/api/classes/${cls.id}/checks`)).body.map((r: { userId: string }) => r.userId).sort()).toEqual([adaId, bobId].sort());
    expect((await grace.json('GET', `/api/classes/${cls.id}/checks/${bobCheck.id}`)).body.verdict.status).toBe('fail');
    for (const path of [`/api/classes/${cls.id}`, `/api/classes/${cls.id}/checks`, `/api/classes/${cls.id}/checks/${bobCheck.id}`]) {
      const res = await other.json('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('class_not_found');
    }
    expect((await other.json('POST', `/api/classes/${cls.id}/close`)).status).toBe(404);
    const otherClass = (await other.json('POST', '/api/classes', { name: 'Theirs' })).body;
    expect((await grace.json('GET', `/api/classes/${otherClass.id}/checks/${adaCheck.id}`)).status).toBe(404);
    expect((await grace.json('GET', '/api/classes')).body.map((c: { name: string }) => c.name)).toEqual(['Mine']);
  });

  it('refuses a state-changing request sent from another site', async () => {
    const grace = await signedIn('csrf@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'CSRF' })).body;
    const code = joinCode(cls.joinUrl);
    const evil = { origin: 'http://evil.example' };

    const form = await grace.request('POST', `/api/classes/${cls.id}/close`, '', { ...evil, 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(403);
    expect(((await form.json()) as any).error.code).toBe('csrf_rejected');
    const plain = await grace.request('POST', '/api/classes', JSON.stringify({ name: 'x' }), { ...evil, 'content-type': 'text/plain' });
    expect(plain.status).toBe(403);
    const json = await grace.request('POST', '/api/classes', { name: 'x' }, evil);
    expect(json.status).toBe(403);
    const crossSite = await grace.request('POST', '/api/classes', { name: 'x' }, { 'sec-fetch-site': 'cross-site', origin: '' });
    expect(crossSite.status).toBe(403);
    // A form posted with no Origin at all cannot prove where it came from.
    const bare = await new Browser(app).request('POST', `/api/join/${code}`, 'displayName=Eve', { 'content-type': 'application/x-www-form-urlencoded', origin: '' });
    expect(bare.status).toBe(403);
    expect((await grace.json('GET', `/api/classes/${cls.id}`)).body.closedAt).toBeNull();
    // A page whose referrer policy hides its origin sends "null": only Sec-Fetch-Site can vouch for it.
    const hidden = await grace.request('POST', `/api/classes/${cls.id}/close`, '', { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' });
    expect(hidden.status).toBe(403);
    // The same requests from the server's own page pass.
    expect((await grace.request('POST', `/api/classes/${cls.id}/close`, undefined, { origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('merges progress and keeps the later draft across devices; a device link signs the same student in', async () => {
    const grace = await signedIn('sync@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'Sync' })).body;
    const code = joinCode(cls.joinUrl);
    const laptop = new Browser(app);
    await laptop.json('POST', `/api/join/${code}`, { displayName: 'Ada' });

    const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 9, m)).toISOString();
    const put = await laptop.json('PUT', '/api/me/progress', {
      version: 1,
      exercises: { 'run-nginx': { status: 'attempted', score: 0, maxScore: 2, at: at(1) }, 'build-app': { status: 'passed', score: 3, maxScore: 3, at: at(2), module: 'dockerfiles' } },
      visited: { '/images/': at(1) },
    });
    expect(put.status).toBe(200);
    expect((await laptop.json('PUT', '/api/me/progress', { version: 1, exercises: { nope: { status: 'done' } }, visited: {} })).status).toBe(400);
    expect((await laptop.json('PUT', '/api/me/drafts/build-app', { files: { Dockerfile: 'FROM python:3.11-slim\n' }, updatedAt: at(5) })).status).toBe(200);

    const link = await laptop.json('POST', '/api/auth/links');
    expect(link.status).toBe(201);
    const phone = new Browser(app);
    const token = new URL(link.body.url).searchParams.get('token')!;
    expect((await phone.json('POST', '/api/auth/sign-in', { token })).body.displayName).toBe('Ada');

    // The phone had an older attempt at build-app and a newer pass at run-nginx: the merge keeps both passes.
    const merged = await phone.json('PUT', '/api/me/progress', {
      version: 1,
      exercises: { 'build-app': { status: 'attempted', score: 1, maxScore: 3, at: at(9) }, 'run-nginx': { status: 'passed', score: 2, maxScore: 2, at: at(3) } },
      visited: { '/images/': at(0), '/volumes/': at(4) },
    });
    expect(merged.body.exercises['build-app']).toEqual({ status: 'passed', score: 3, maxScore: 3, at: at(2), module: 'dockerfiles' });
    expect(merged.body.exercises['run-nginx'].status).toBe('passed');
    expect(merged.body.visited).toEqual({ '/images/': at(1), '/volumes/': at(4) });

    // An older copy of the draft (an offline device) never overwrites the newer one.
    const stale = await phone.json('PUT', '/api/me/drafts/build-app', { files: { Dockerfile: 'FROM busybox\n' }, updatedAt: at(4) });
    expect(stale.body.files.Dockerfile).toBe('FROM python:3.11-slim\n');
    expect((await phone.json('GET', '/api/me/drafts/build-app')).body).toEqual({ exercise: 'build-app', files: { Dockerfile: 'FROM python:3.11-slim\n' }, updatedAt: at(5) });
    expect((await phone.json('GET', '/api/me/drafts/Bad_Slug')).status).toBe(400);
    expect((await phone.json('GET', '/api/me/drafts/run-nginx')).status).toBe(404);

    const phoneCookie = phone.cookie;
    expect((await phone.json('POST', '/api/auth/sign-out')).status).toBe(204);
    expect(phone.cookie).toBeUndefined();
    phone.cookie = phoneCookie;
    expect((await phone.json('GET', '/api/me/progress')).status).toBe(401);
    expect((await laptop.json('GET', '/api/me/progress')).status).toBe(200);

    // Thirty-one days on, the laptop's session has expired and pruning removes it.
    const later = Date.now() + 31 * 24 * 60 * 60_000;
    await pruneExpired(test.database.db, later);
    expect((await laptop.json('GET', '/api/me/progress')).status).toBe(401);
  });

  it('sets and clears a class start by the class instructor only, validated, and shown in the class', async () => {
    const grace = await signedInInstructor(app, 'start@example.org');
    const made = await grace.json('POST', '/api/classes', { name: 'Docker, 9:00' });
    expect(made.body.startsAt).toBeNull();
    const id = made.body.id as string;

    const set = await grace.json('PUT', `/api/classes/${id}/start`, { startsAt: '2026-12-02T10:00:00+01:00' });
    expect(set.status).toBe(200);
    expect(set.body.startsAt).toBe('2026-12-02T09:00:00.000Z');
    expect((await grace.json('GET', `/api/classes/${id}`)).body.startsAt).toBe('2026-12-02T09:00:00.000Z');
    expect((await grace.json('GET', '/api/classes')).body.find((c: { id: string }) => c.id === id).startsAt).toBe('2026-12-02T09:00:00.000Z');

    for (const body of [{ startsAt: 'tomorrow at nine' }, { startsAt: 9 }, {}, { startsAt: null, extra: 1 }]) {
      const bad = await grace.json('PUT', `/api/classes/${id}/start`, body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
      expect(typeof bad.body.error.message).toBe('string');
    }

    // Another instructor, a student, and nobody: the class is not theirs to start.
    const other = await signedInInstructor(app, 'other-start@example.org');
    const notTheirs = await other.json('PUT', `/api/classes/${id}/start`, { startsAt: null });
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.body.error.code).toBe('class_not_found');
    const ada = new Browser(app);
    expect((await ada.json('POST', `/api/join/${joinCode(made.body.joinUrl)}`, { displayName: 'Ada' })).status).toBe(201);
    const student = await ada.json('PUT', `/api/classes/${id}/start`, { startsAt: null });
    expect(student.status).toBe(403);
    expect(student.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect((await new Browser(app).json('PUT', `/api/classes/${id}/start`, { startsAt: null })).status).toBe(401);
    expect((await grace.json('GET', `/api/classes/${id}`)).body.startsAt).toBe('2026-12-02T09:00:00.000Z');

    const cleared = await grace.json('PUT', `/api/classes/${id}/start`, { startsAt: null });
    expect(cleared.body.startsAt).toBeNull();
  });

  it('gives the class-start pre-warm planner the students of the open classes in their windows', async () => {
    const grace = await signedInInstructor(app, 'planner@example.org');
    const nine = Date.parse('2031-03-04T09:00:00Z');
    const classOf = async (name: string, students: number, startsAt: number) => {
      const made = await grace.json('POST', '/api/classes', { name });
      for (let i = 0; i < students; i++) {
        expect((await new Browser(app).json('POST', `/api/join/${joinCode(made.body.joinUrl)}`, { displayName: `${name} ${i}` })).status).toBe(201);
      }
      expect((await grace.json('PUT', `/api/classes/${made.body.id}/start`, { startsAt: new Date(startsAt).toISOString() })).status).toBe(200);
      return made.body.id as string;
    };
    await classOf('A', 3, nine);
    await classOf('B', 2, nine + 8 * MIN);
    const closed = await classOf('C', 4, nine);
    await grace.json('POST', `/api/classes/${closed}/close`);
    await classOf('empty', 0, nine);

    let now = nine - 6 * MIN;
    const prewarm = new ClassPrewarm(test.database.db, { leadMs: 5 * MIN, holdMs: 10 * MIN, max: 4 }, () => now);
    expect(await prewarm.wanted()).toBe(0);
    now = nine - 5 * MIN;
    expect(await prewarm.wanted()).toBe(3);
    now = nine + 3 * MIN;
    expect(await prewarm.wanted()).toBe(4); // 3 + 2, capped
    now = nine + 10 * MIN;
    expect(await prewarm.wanted()).toBe(2);
    now = nine + 18 * MIN;
    expect(await prewarm.wanted()).toBe(0);
  });
});
