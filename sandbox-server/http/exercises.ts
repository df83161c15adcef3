import { Hono } from 'hono';
import type Docker from 'dockerode';
import { z } from 'zod';
import { validateFiles } from '../checkers/python/validate-files.ts';
import { checkSubmission, UnsupportedKindError } from '../exercises/check.ts';
import type { Exercise } from '../exercises/load.ts';
import { ApiError } from './errors.ts';
import { jsonBody } from './validate.ts';

/** The body of POST /api/exercises/:slug/check. */
export const checkRequestSchema = z
  .object({
    files: z.record(z.string(), z.string()).describe('The submission: file path → content.'),
  })
  .strict();

/** Exercise routes: list the exercises, and check a submission of one. */
export function exerciseRoutes(exercises: ReadonlyMap<string, Exercise>, docker: Docker): Hono {
  const app = new Hono();

  app.get('/', (c) =>
    c.json(
      [...exercises.values()].map((e) => ({
        slug: e.slug,
        title: e.frontmatter.title,
        kind: e.frontmatter.kind,
        module: e.frontmatter.module,
        summary: e.frontmatter.summary,
      })),
    ),
  );

  app.post('/:slug/check', async (c) => {
    const exercise = exercises.get(c.req.param('slug'));
    if (!exercise) throw new ApiError(404, 'exercise_not_found', `No exercise named ${c.req.param('slug')}.`);
    const { files } = await jsonBody(c, checkRequestSchema);
    const valid = validateFiles(files);
    if (!valid.ok) throw new ApiError(400, 'invalid_files', valid.error);
    try {
      const verdict = await checkSubmission(docker, exercise, files);
      if (verdict.error_kind === 'internal') {
        // Not the student's doing, and never a grade: say so with a retryable status.
        return c.json({ error: { code: 'check_failed', message: verdict.message ?? 'the checker failed to run' }, verdict }, 503, {
          'Retry-After': '5',
        });
      }
      return c.json(verdict);
    } catch (err) {
      if (err instanceof UnsupportedKindError) throw new ApiError(501, 'kind_not_supported', err.message);
      throw err;
    }
  });

  return app;
}
