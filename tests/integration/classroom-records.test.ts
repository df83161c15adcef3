import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { recordCheck } from '../../sandbox-server/classroom/records.ts';
import { openDatabase, type Database } from '../../sandbox-server/db/database.ts';
import { parseXml } from '../../sandbox-server/grading/xml-wellformed.ts';
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
});
