import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { recordCheck } from '../../sandbox-server/classroom/records.ts';
import { openDatabase, type Database } from '../../sandbox-server/db/database.ts';
import { parseXml } from '../support/xml-wellformed.ts';
import { Browser, classroomApp, joinCode, signedInInstructor, verdict } from './classroom-client.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

describe.each(DATABASES)('class records on $name', ({ open }) => {
  let test: TestDatabase;
  let second: Database;
  let serverA: Hono;
  let serverB: Hono;

  beforeAll(async () => {
    test = await open();
    // Two servers, each with its own connection to the one database.
    second = await openDatabase(test.settings);
    serverA = classroomApp(test.database);
    serverB = classroomApp(second);
  });
  afterAll(async () => {
    await second?.close();
    await test?.dispose();
  });

  it("shows a student's Check recorded through one server on the other server's class view", async () => {
    const grace = await signedInInstructor(serverA, 'two-servers@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'Two servers' })).body;
    const ada = new Browser(serverB);
    const adaId = (await ada.json('POST', `/api/join/${joinCode(cls.joinUrl)}`, { displayName: 'Ada' })).body.student.id;
    await recordCheck(second.db, { userId: adaId, exercise: 'run-nginx', submission: { kind: 'files', files: {} }, verdict: verdict('pass', 2) });

    expect((await grace.json('GET', `/api/classes/${cls.id}`)).body.students.map((s: { userId: string }) => s.userId)).toEqual([adaId]);
    expect((await grace.json('GET', `/api/classes/${cls.id}/checks`)).body).toMatchObject([{ userId: adaId, exercise: 'run-nginx', status: 'pass' }]);
    // The cookie one server set is good on the other.
    ada.app = serverA;
    expect((await ada.json('GET', '/api/me/progress')).body.exercises['run-nginx'].status).toBe('passed');
  });

  it("exports a class's gradebook of one exercise as JSON, CSV and JUnit, each student graded by their best Check", async () => {
    const grace = await signedInInstructor(serverA, 'gradebook@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'Gradebook' })).body;
    const code = joinCode(cls.joinUrl);
    const ids: Record<string, string> = {};
    for (const name of ['Bob', 'Ada', 'Cy']) ids[name] = (await new Browser(serverA).json('POST', `/api/join/${code}`, { displayName: name })).body.student.id;
    const db = test.database.db;
    const check = (name: string, v: ReturnType<typeof verdict>, at: number) =>
      recordCheck(db, { userId: ids[name]!, exercise: 'run-nginx', submission: { kind: 'files', files: {} }, verdict: v }, Date.UTC(2026, 11, 1, 9, at));
    await check('Ada', verdict('fail', 0), 1);
    await check('Ada', verdict('pass', 2), 2);
    await check('Ada', verdict('fail', 1), 3);
    await check('Bob', verdict('fail', 0), 4);
    await check('Bob', verdict('fail', 0), 5);
    await recordCheck(db, { userId: ids.Cy!, exercise: 'other-exercise', submission: { kind: 'files', files: {} }, verdict: verdict('pass', 2) });

    const json = await grace.json('GET', `/api/classes/${cls.id}/gradebook/run-nginx`);
    expect(json.body.rows).toEqual([
      { student: 'Ada', exercise: 'run-nginx', score: 2, max_score: 2, status: 'pass', graded_at: '2026-12-01T09:02:00.000Z', graded: true },
      { student: 'Bob', exercise: 'run-nginx', score: 0, max_score: 2, status: 'fail', graded_at: '2026-12-01T09:05:00.000Z', graded: true },
    ]);

    const csv = await grace.request('GET', `/api/classes/${cls.id}/gradebook/run-nginx?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe(
      'student,exercise,score,max_score,status,graded_at,graded\r\n' +
        'Ada,run-nginx,2,2,pass,2026-12-01T09:02:00.000Z,true\r\n' +
        'Bob,run-nginx,0,2,fail,2026-12-01T09:05:00.000Z,true\r\n',
    );
    const junit = parseXml(await (await grace.request('GET', `/api/classes/${cls.id}/gradebook/run-nginx?format=junit`)).text());
    expect(junit.children.map((suite) => suite.attrs.name)).toEqual(['Ada', 'Bob']);
    expect(junit.attrs.failures).toBe('1');

    expect((await grace.json('GET', `/api/classes/${cls.id}/gradebook/run-nginx?format=pdf`)).body.error.code).toBe('invalid_format');
    expect((await grace.json('GET', `/api/classes/${cls.id}/gradebook/Not_A_Slug`)).status).toBe(400);
    const other = await signedInInstructor(serverB, 'gradebook-other@example.org');
    expect((await other.json('GET', `/api/classes/${cls.id}/gradebook/run-nginx`)).status).toBe(404);
  });

  it('shows the class at a glance: who tried and passed what, who is stuck now, and the check that fails most', async () => {
    const grace = await signedInInstructor(serverA, 'matrix@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'Matrix' })).body;
    const ids: Record<string, string> = {};
    for (const name of ['Ada', 'Bob', 'Cy']) ids[name] = (await new Browser(serverA).json('POST', `/api/join/${joinCode(cls.joinUrl)}`, { displayName: name })).body.student.id;
    const failing = (name: string) => ({ ...verdict('fail', 1), tests: [{ name: 'the container runs', status: 'pass' as const }, { name, status: 'fail' as const }] });
    const now = Date.now();
    const check = (who: string, exercise: string, v: ReturnType<typeof verdict>, minutesAgo: number) =>
      recordCheck(second.db, { userId: ids[who]!, exercise, submission: { kind: 'files', files: {} }, verdict: v }, now - minutesAgo * 60_000);
    await check('Ada', 'run-nginx', failing('port 8080 answers'), 20);
    await check('Ada', 'run-nginx', verdict('pass', 2), 19);
    for (const m of [9, 6, 3]) await check('Bob', 'run-nginx', failing('port 8080 answers'), m);
    await check('Bob', 'build-app', failing('image is tagged'), 2);

    const matrix = (await grace.json('GET', `/api/classes/${cls.id}/matrix`)).body;
    expect(matrix.students.map((s: { displayName: string }) => s.displayName)).toEqual(['Ada', 'Bob', 'Cy']);
    expect(matrix.exercises).toEqual(['build-app', 'run-nginx']);
    expect(matrix.cells[ids.Ada!]['run-nginx']).toMatchObject({ state: 'passed', attempts: 2, bestScore: 2, failedSincePass: 0 });
    expect(matrix.cells[ids.Bob!]['run-nginx']).toMatchObject({ state: 'tried', attempts: 3, bestScore: 1, failedSincePass: 3 });
    expect(matrix.cells[ids.Cy!]).toBeUndefined();
    expect(matrix.stuck).toEqual([{ userId: ids.Bob, exercise: 'run-nginx', failedChecks: 3, lastAt: new Date(now - 3 * 60_000).toISOString() }]);
    expect(matrix.perExercise['run-nginx']).toEqual({ tried: 2, passed: 1, passRate: 0.5, mostFailedCheck: { name: 'port 8080 answers', failures: 4 } });
    expect(matrix.perExercise['build-app']).toMatchObject({ tried: 1, passed: 0, mostFailedCheck: { name: 'image is tagged', failures: 1 } });

    const other = await signedInInstructor(serverB, 'matrix-other@example.org');
    expect((await other.json('GET', `/api/classes/${cls.id}/matrix`)).status).toBe(404);
  });
});
