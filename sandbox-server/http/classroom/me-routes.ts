import { Hono } from 'hono';
import { DraftRequestSchema, ExerciseSlugSchema, ProgressDocumentSchema } from '../../contract/classroom.ts';
import { checkOf, checksOf, draftOf, draftsOf, mergeProgress, progressOf, saveDraft } from '../../classroom/records.ts';
import { ApiError } from '../errors.ts';
import { jsonBody, parseRequest } from '../validate.ts';
import type { ClassroomDeps } from './deps.ts';
import { viewerOf } from './viewer.ts';

/**
 * A signed-in student's own records: their Checks, progress and drafts. Every query is
 * scoped to the signed-in user, so no id reaches another student's data.
 */
export function meRoutes({ db }: ClassroomDeps): Hono {
  const app = new Hono();
  const exerciseParam = (value: string | undefined) => parseRequest(ExerciseSlugSchema, value);

  app.get('/checks', async (c) => {
    const student = viewerOf(c, 'student');
    const exercise = c.req.query('exercise');
    return c.json(await checksOf(db, student.id, exercise === undefined ? undefined : exerciseParam(exercise)));
  });

  app.get('/checks/:id', async (c) => c.json(await checkOf(db, viewerOf(c, 'student').id, c.req.param('id'))));

  app.get('/progress', async (c) => c.json(await progressOf(db, viewerOf(c, 'student').id)));

  // The browser sends what it has; the answer is the merge, which it keeps.
  app.put('/progress', async (c) => {
    const student = viewerOf(c, 'student');
    return c.json(await mergeProgress(db, student.id, await jsonBody(c, ProgressDocumentSchema)));
  });

  app.get('/drafts', async (c) => c.json(await draftsOf(db, viewerOf(c, 'student').id)));

  app.get('/drafts/:slug', async (c) => {
    const draft = await draftOf(db, viewerOf(c, 'student').id, exerciseParam(c.req.param('slug')));
    if (!draft) throw new ApiError(404, 'draft_not_found', 'No saved draft of this exercise.');
    return c.json(draft);
  });

  // The later draft wins: an older copy from an offline device never overwrites newer work.
  app.put('/drafts/:slug', async (c) => {
    const student = viewerOf(c, 'student');
    const exercise = exerciseParam(c.req.param('slug'));
    const body = await jsonBody(c, DraftRequestSchema);
    return c.json(await saveDraft(db, student.id, { exercise, ...body }));
  });

  return app;
}
