import { Hono, type Context } from 'hono';
import { ClassStartRequestSchema, CreateClassRequestSchema, ExerciseSlugSchema, JoinClassRequestSchema } from '../../contract/classroom.ts';
import { startAuthSession } from '../../classroom/accounts.ts';
import { classesOf, classForJoinCode, closeClass, createClass, joinClass, ownedClass, rosterOf, setClassStart } from '../../classroom/classes.ts';
import { checkOfClass, checksOfClass } from '../../classroom/records.ts';
import type { Class } from '../../db/tables.ts';
import { jsonBody, parseRequest } from '../validate.ts';
import { gradebookFormat, gradebookResponse } from '../gradebook-response.ts';
import { classGrades } from '../../classroom/gradebook.ts';
import { classMatrix } from '../../classroom/matrix.ts';
import { regradeClass } from '../../classroom/regrade.ts';
import { createLimiter } from '../../grading/limiter.ts';
import { ApiError } from '../errors.ts';
import { exerciseOf } from '../exercises.ts';
import type { ClassroomDeps } from './deps.ts';
import { viewerJson } from './auth-routes.ts';
import { answerForm, isFormPost, jsonOrFormBody } from './body.ts';
import { joinUrl, publicOrigin } from './links.ts';
import { setSessionCookie, viewerOf } from './viewer.ts';

/** Classes as their instructor manages them: create, list, roster, close, the class's Checks. */
export function classRoutes({ db, publicUrl, regrade }: ClassroomDeps): Hono {
  const app = new Hono();
  // A regrade shares the machine with the class: two checks at a time.
  const limit = createLimiter(2);
  const summary = (c: Context, row: Class) => ({
    id: row.id,
    name: row.name,
    joinUrl: joinUrl(publicOrigin(c, publicUrl), row.join_code),
    requireEmail: row.require_email === 1,
    closedAt: row.closed_at,
    startsAt: row.starts_at,
    createdAt: row.created_at,
  });

  app.post('/', async (c) => {
    const instructor = viewerOf(c, 'instructor');
    const input = await jsonBody(c, CreateClassRequestSchema);
    return c.json(summary(c, await createClass(db, instructor.id, input)), 201);
  });

  app.get('/', async (c) => {
    const instructor = viewerOf(c, 'instructor');
    return c.json((await classesOf(db, instructor.id)).map((row) => summary(c, row)));
  });

  app.get('/:id', async (c) => {
    const row = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    return c.json({ ...summary(c, row), students: await rosterOf(db, row.id) });
  });

  app.post('/:id/close', async (c) => {
    return c.json(summary(c, await closeClass(db, viewerOf(c, 'instructor').id, c.req.param('id'))));
  });

  // When the class starts: the students' sandboxes are made ready shortly before (null clears it).
  app.put('/:id/start', async (c) => {
    const instructor = viewerOf(c, 'instructor');
    const { startsAt } = await jsonBody(c, ClassStartRequestSchema);
    return c.json(summary(c, await setClassStart(db, instructor.id, c.req.param('id'), startsAt)));
  });

  app.get('/:id/checks', async (c) => {
    const row = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    return c.json(await checksOfClass(db, row.id));
  });

  app.get('/:id/checks/:checkId', async (c) => {
    const row = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    return c.json(await checkOfClass(db, row.id, c.req.param('checkId')));
  });

  // The class at a glance: polled by the instructor's view.
  app.get('/:id/matrix', async (c) => {
    const row = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    return c.json(await classMatrix(db, row.id));
  });

  // After a checker was fixed: every student's latest files of one exercise, checked again.
  app.post('/:id/regrade/:slug', async (c) => {
    const row = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    if (!regrade) throw new ApiError(503, 'checks_unavailable', 'This server does not check exercises, so it cannot regrade.');
    const exercise = exerciseOf(regrade.exercises, parseRequest(ExerciseSlugSchema, c.req.param('slug')));
    const results = await regradeClass(db, row.id, { slug: exercise.slug, module: exercise.frontmatter.module }, (files) => limit(() => regrade.check(exercise, files)));
    for (const r of results) if (r.after) void regrade.recorded?.(r.userId, exercise.slug);
    return c.json({ exercise: exercise.slug, results });
  });

  // The class's grades on one exercise, in the documents `npm run grade` writes.
  app.get('/:id/gradebook/:slug', async (c) => {
    const row = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    const format = gradebookFormat(c);
    const exercise = parseRequest(ExerciseSlugSchema, c.req.param('slug'));
    return gradebookResponse(c, exercise, await classGrades(db, row.id, exercise), format);
  });

  return app;
}

/** A class's join link: what it is (for the join form), and joining it. */
export function joinRoutes({ db }: ClassroomDeps): Hono {
  const app = new Hono();

  app.get('/:code', async (c) => {
    const row = await classForJoinCode(db, c.req.param('code'));
    return c.json({ name: row.name, requireEmail: row.require_email === 1 });
  });

  app.post('/:code', (c) =>
    answerForm(c, 'Cannot join', async () => {
      const input = await jsonOrFormBody(c, JoinClassRequestSchema);
      const current = c.get('viewer');
      const joined = await joinClass(db, c.req.param('code'), { ...input, current });
      if (!current) {
        const session = await startAuthSession(db, joined.user.id);
        setSessionCookie(c, session.token, session.expiresAt);
      }
      if (isFormPost(c)) return c.redirect('/', 303);
      return c.json({ student: viewerJson(joined.user), class: { id: joined.class.id, name: joined.class.name } }, 201);
    }),
  );

  return app;
}
