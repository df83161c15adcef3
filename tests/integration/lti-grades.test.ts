import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckService } from '../../sandbox-server/checkers/service.ts';
import { projectRoot } from '../../sandbox-server/config.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { GradePassback } from '../../sandbox-server/lti/grades.ts';
import { Browser, classroomApp, ORIGIN } from './classroom-client.ts';
import { DATABASES, type TestDatabase } from './databases.ts';
import { postedForm, ROLE, SimulatedPlatform, type PlatformUser } from './lti-platform.ts';

const exercises = new Map(loadExercises(join(projectRoot, 'exercises')).exercises.map((e) => [e.slug, e]));
const exercise = exercises.get('asyncio-gather')!;
const checks = new CheckService(new SandboxDriver(connectEngine()));
const up = { ok: true as const, version: 'test' };

const ada: PlatformUser = { sub: 'moodle-user-17', name: 'Ada Lovelace', roles: [ROLE.learner] };
const bob: PlatformUser = { sub: 'moodle-user-18', name: 'Bob Babbage', roles: [ROLE.learner] };
const grace: PlatformUser = { sub: 'moodle-user-2', name: 'Grace Hopper', email: 'grace@school.example', roles: [ROLE.instructor] };

describe.each(DATABASES)('LTI grades to the LMS on $name', ({ open }) => {
  let test: TestDatabase;
  let app: Hono;
  let platform: SimulatedPlatform;
  let grades: GradePassback;
  /** The passback's clock runs ahead of the wall clock by this much (time for a retry to come due). */
  let ahead = 0;
  const log: string[] = [];

  beforeAll(async () => {
    test = await open();
    platform = new SimulatedPlatform(async () => (await app.request(`${ORIGIN}/lti/jwks`)).json(), `${ORIGIN}/lti/launch`);
    await platform.start();
    // A Moodle-style line item: its URL carries a query, and /scores goes before it.
    const lineitem = `${platform.origin}/lineitems/41/lineitem?type_id=3`;
    platform.users.set('hint-ada', ada).set('hint-grace', grace).set('hint-bob', bob);
    // A link in a course module, not an assignment: no line item of its own, only the course's container.
    platform.links.set('msg-module', { id: 'rl-10', context: { id: 'course-7', title: 'Async Python' }, custom: { exercise: exercise.slug }, lineitems: `${platform.origin}/courses/7/lineitems`, targetLinkUri: `${ORIGIN}/` });
    platform.links.set('msg-gather', { id: 'rl-9', context: { id: 'course-7', title: 'Async Python' }, custom: { exercise: exercise.slug }, lineitem, targetLinkUri: `${ORIGIN}/` });
    const platforms = [platform.registration()];
    grades = new GradePassback(test.database.db, platforms, { now: () => Date.now() + ahead, log: (line) => log.push(line) });
    app = classroomApp(test.database, {
      probeEngine: async () => up,
      engineState: () => up,
      exercises: { bySlug: exercises, checks, concurrency: 2, work: { total: 4, perClient: 2 } },
      lti: { platforms, grades },
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await test?.dispose();
  });

  async function launched(hint: string, message = 'msg-gather'): Promise<Browser> {
    const browser = new Browser(app);
    const query = new URLSearchParams({ iss: platform.issuer, login_hint: hint, target_link_uri: `${ORIGIN}/`, lti_message_hint: message });
    const auth = new URL((await app.request(`${ORIGIN}/lti/login?${query}`)).headers.get('location')!);
    const { id_token, state } = postedForm(await (await fetch(auth)).text());
    const res = await browser.request('POST', '/lti/launch', new URLSearchParams({ id_token, state }).toString(), {
      origin: platform.origin,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(303);
    return browser;
  }

  const check = (who: Browser, files: Record<string, string>) => who.json('POST', `/api/exercises/${exercise.slug}/check`, { files });

  it("sends each Check's partial score to the line item, Completed once passed, and keeps a failed send until the platform takes it", async () => {
    expect(exercise, 'the course has the asyncio-gather exercise').toBeDefined();
    const student = await launched('hint-ada');
    const instructor = await launched('hint-grace');
    const classId = (await instructor.json('GET', '/api/auth/me')).body.classes[0].id;

    // The starter returns the results in order but one after the other: part of the checks pass.
    const partial = await check(student, exercise.starter);
    expect(partial.status).toBe(200);
    expect(partial.body.status).toBe('fail');
    expect(partial.body.score).toBeGreaterThan(0);
    expect(partial.body.score).toBeLessThan(partial.body.max_score);
    await expect.poll(() => platform.scores.length, { timeout: 10_000 }).toBe(1);
    expect(platform.scores[0]).toEqual({
      lineitem: `${platform.origin}/lineitems/41/lineitem?type_id=3`,
      contentType: 'application/vnd.ims.lis.v1.score+json',
      body: {
        userId: ada.sub,
        scoreGiven: partial.body.score,
        scoreMaximum: partial.body.max_score,
        activityProgress: 'Submitted',
        gradingProgress: 'FullyGraded',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });

    const passed = await check(student, exercise.solution);
    expect(passed.body.status).toBe('pass');
    await expect.poll(() => platform.scores.length, { timeout: 10_000 }).toBe(2);
    expect(platform.scores[1]!.body).toMatchObject({ userId: ada.sub, scoreGiven: passed.body.max_score, scoreMaximum: passed.body.max_score, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    // One access token served both sends: it is kept until it expires.
    expect(platform.tokenRequests).toHaveLength(1);

    // The platform is down: the Check still answers, the grade waits with its error, the instructor sees why.
    platform.failScores = 503;
    const during = await check(student, exercise.starter);
    expect(during.status).toBe(200);
    await expect.poll(async () => (await instructor.json('GET', `/api/lti/classes/${classId}/grades`)).body[0]?.attempts, { timeout: 10_000 }).toBe(1);
    const waiting = (await instructor.json('GET', `/api/lti/classes/${classId}/grades`)).body;
    expect(waiting).toMatchObject([{ displayName: 'Ada Lovelace', exercise: exercise.slug, state: 'pending', attempts: 1, lastError: expect.stringMatching(/503/) }]);
    expect(log.some((line) => /was not sent \(attempt 1\).*503/.test(line))).toBe(true);
    expect((await student.json('GET', `/api/lti/classes/${classId}/grades`)).status).toBe(403);

    // Nothing is due before its retry time; once it is, the best score goes (the pass, not the later partial one).
    platform.failScores = undefined;
    expect(await grades.sendDue()).toBe(0);
    ahead = 5 * 60_000;
    expect(await grades.sendDue()).toBe(1);
    expect(platform.scores).toHaveLength(3);
    expect(platform.scores[2]!.body).toMatchObject({ scoreGiven: passed.body.max_score, scoreMaximum: passed.body.max_score, activityProgress: 'Completed' });
    expect((await instructor.json('GET', `/api/lti/classes/${classId}/grades`)).body).toMatchObject([
      { state: 'sent', attempts: 1, lastError: null, scoreGiven: passed.body.max_score, activityProgress: 'Completed', sentAt: expect.any(String) },
    ]);
  });

  it("makes the exercise's line item in the course's container for a link that has none, once for the whole class, and sends again after a regrade", async () => {
    const before = platform.scores.length;
    const students = [await launched('hint-bob', 'msg-module'), await launched('hint-ada', 'msg-module')];
    for (const [n, student] of students.entries()) {
      expect((await check(student, exercise.solution)).body.status).toBe('pass');
      await expect.poll(() => platform.scores.length, { timeout: 10_000 }).toBe(before + n + 1);
    }
    expect(platform.lineItems).toEqual([{ id: `${platform.origin}/lineitems/100/lineitem`, label: exercise.slug, resourceId: exercise.slug, resourceLinkId: 'rl-10', scoreMaximum: expect.any(Number) }]);
    const sent = platform.scores.slice(before);
    expect(sent.map((s) => s.lineitem)).toEqual([`${platform.origin}/lineitems/100/lineitem`, `${platform.origin}/lineitems/100/lineitem`]);
    expect(sent.map((s) => s.body.userId).sort()).toEqual([ada.sub, bob.sub].sort());
    expect(sent[0]!.body).toMatchObject({ activityProgress: 'Completed', gradingProgress: 'FullyGraded', scoreMaximum: platform.lineItems[0]!.scoreMaximum });

    // A regrade records a new Check of each student: their grades go again, to the same line item.
    const instructor = await launched('hint-grace', 'msg-module');
    const classId = (await instructor.json('GET', '/api/auth/me')).body.classes[0].id;
    const regraded = await instructor.json('POST', `/api/classes/${classId}/regrade/${exercise.slug}`);
    expect(regraded.status).toBe(200);
    await expect.poll(() => platform.scores.length, { timeout: 10_000 }).toBe(before + 4);
    expect(platform.scores.slice(before + 2).map((s) => s.body.userId).sort()).toEqual([ada.sub, bob.sub].sort());
    expect(platform.lineItems).toHaveLength(1);
  });
});
