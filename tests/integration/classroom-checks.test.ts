import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { CheckService } from '../../sandbox-server/checkers/service.ts';
import { projectRoot } from '../../sandbox-server/config.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { Browser, classroomApp, joinCode, signedInInstructor } from './classroom-client.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const exercises = new Map(loadExercises(join(projectRoot, 'exercises')).exercises.map((e) => [e.slug, e]));
const exercise = exercises.get('asyncio-gather')!;
const checks = new CheckService(new SandboxDriver(connectEngine()));
const up = { ok: true as const, version: 'test' };

describe.each(DATABASES)('Checks of signed-in students on $name', ({ open }) => {
  let test: TestDatabase;
  let app: Hono;

  beforeAll(async () => {
    test = await open();
    // One Check at a time per client: every request here comes from one address, as from a school's NAT.
    app = classroomApp(test.database, {
      probeEngine: async () => up,
      engineState: () => up,
      exercises: { bySlug: exercises, checks, concurrency: 2, work: { total: 8, perClient: 1 } },
    });
  });
  afterAll(() => test?.dispose());

  const check = (who: Browser, files: Record<string, string>) => who.json('POST', `/api/exercises/${exercise.slug}/check`, { files });

  it('records each Check with its files and verdict, lets two students behind one address check at once, keeps no anonymous Check, and regrades the class', async () => {
    expect(exercise, 'the course has the asyncio-gather exercise').toBeDefined();
    const grace = await signedInInstructor(app, 'checks@example.org');
    const cls = (await grace.json('POST', '/api/classes', { name: 'Checks' })).body;
    const ada = new Browser(app);
    const bob = new Browser(app);
    const adaId = (await ada.json('POST', `/api/join/${joinCode(cls.joinUrl)}`, { displayName: 'Ada' })).body.student.id;
    const bobId = (await bob.json('POST', `/api/join/${joinCode(cls.joinUrl)}`, { displayName: 'Bob' })).body.student.id;

    const [passed, failed] = await Promise.all([check(ada, exercise.solution), check(bob, exercise.starter)]);
    expect(passed.status).toBe(200);
    expect(passed.body.status).toBe('pass');
    expect(failed.status).toBe(200);
    expect(failed.body.status).not.toBe('pass');
    expect((await check(new Browser(app), exercise.solution)).status).toBe(200);

    const mine = (await ada.json('GET', '/api/me/checks')).body;
    expect(mine).toMatchObject([{ userId: adaId, exercise: exercise.slug, status: 'pass', score: passed.body.score, maxScore: passed.body.max_score }]);
    const full = (await ada.json('GET', `/api/me/checks/${mine[0].id}`)).body;
    expect(full.submission).toEqual({ kind: 'files', files: exercise.solution });
    expect(full.verdict).toEqual(passed.body);
    expect((await ada.json('GET', '/api/me/progress')).body.exercises[exercise.slug]).toMatchObject({ status: 'passed', module: exercise.frontmatter.module });

    const classChecks = (await grace.json('GET', `/api/classes/${cls.id}/checks`)).body;
    expect(classChecks.map((r: { userId: string; status: string }) => [r.userId, r.status]).sort()).toEqual([[adaId, 'pass'], [bobId, failed.body.status]].sort());

    // Regrading the exercise checks each student's latest files again and records the verdict as a new Check.
    const regraded = await grace.json('POST', `/api/classes/${cls.id}/regrade/${exercise.slug}`);
    expect(regraded.status).toBe(200);
    const byUser = Object.fromEntries(regraded.body.results.map((r: { userId: string }) => [r.userId, r]));
    expect(byUser[adaId]).toEqual({ userId: adaId, before: { status: 'pass', score: passed.body.score }, after: { status: 'pass', score: passed.body.score } });
    expect(byUser[bobId].after.status).toBe(failed.body.status);
    expect((await ada.json('GET', '/api/me/checks')).body).toHaveLength(2);
    expect((await ada.json('POST', `/api/classes/${cls.id}/regrade/${exercise.slug}`)).status).toBe(403);
    expect((await grace.json('POST', `/api/classes/${cls.id}/regrade/no-such-exercise`)).status).toBe(404);
  });
});
