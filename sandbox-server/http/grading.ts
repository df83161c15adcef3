import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { CheckService } from '../checkers/service.ts';
import type { Exercise } from '../exercises/load.ts';
import { referenceMaxScore } from '../grading/calibrate.ts';
import { gradeBatch, type Submission } from '../grading/grade-batch.ts';
import { createLimiter } from '../grading/limiter.ts';
import { ApiError } from './errors.ts';
import { exerciseOf } from './exercises.ts';
import { gradebookFormat, gradebookResponse } from './gradebook-response.ts';
import { bearerToken, jsonBody } from './validate.ts';

/** Most submissions one grading request may carry. */
export const MAX_GRADING_STUDENTS = 200;

/** A student id: 1–100 characters, no control characters. */
const studentId = z.string().min(1).max(100).regex(/^[^\x00-\x1f\x7f]+$/, 'student ids must not contain control characters');

/** The body of POST /api/grading/:slug; each submission's files are checked per student, not here. */
export const gradingRequestSchema = z
  .object({
    submissions: z
      .record(studentId, z.record(z.string(), z.unknown()))
      .refine((s) => Object.keys(s).length > 0, 'at least one submission is needed')
      .refine((s) => Object.keys(s).length <= MAX_GRADING_STUDENTS, `at most ${MAX_GRADING_STUDENTS} submissions per request`)
      .describe('Student id → (file path → content).'),
  })
  .strict();

/** Options of the grading routes. */
export interface GradingRouteOptions {
  /** The bearer token graders must send (DOCKYARD_GRADER_TOKEN); unset or empty, the route answers 503. */
  token?: string | undefined;
  /** Checks run at once across all grading requests together. */
  concurrency: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Throws unless the request carries the configured grader token (compared in constant time). */
function requireGrader(c: Context, token: string | undefined): void {
  if (!token) {
    throw new ApiError(
      503,
      'grading_disabled',
      'Batch grading is turned off. Set DOCKYARD_GRADER_TOKEN to a long random secret (e.g. `openssl rand -hex 32`), restart the server, and send it as `Authorization: Bearer <token>`.',
    );
  }
  const given = bearerToken(c);
  if (!given || !timingSafeEqual(digest(given), digest(token))) {
    throw new ApiError(401, 'unauthorized', 'Batch grading needs `Authorization: Bearer <DOCKYARD_GRADER_TOKEN>`.', {
      'WWW-Authenticate': 'Bearer realm="dockyard-grading"',
    });
  }
}

/** Batch grading for teachers: POST /:slug grades many submissions; `?format=csv|junit` picks the answer. */
export function gradingRoutes(exercises: ReadonlyMap<string, Exercise>, checks: CheckService, opts: GradingRouteOptions): Hono {
  const app = new Hono();
  const limiter = createLimiter(opts.concurrency);
  const maxScores = new Map<string, Promise<number>>();

  app.post('/:slug', async (c) => {
    requireGrader(c, opts.token);
    const slug = c.req.param('slug');
    const exercise = exerciseOf(exercises, slug);
    const format = gradebookFormat(c);
    const { submissions } = await jsonBody(c, gradingRequestSchema);
    const list: Submission[] = Object.entries(submissions).map(([student, files]) => ({ student, files: files as Record<string, string> }));
    const check = (files: Record<string, string>) => limiter(() => checks.check(exercise, files));

    let pending = maxScores.get(slug);
    if (!pending) maxScores.set(slug, (pending = referenceMaxScore(check, exercise.solution)));
    const maxScore = await pending.catch((err: unknown) => {
      maxScores.delete(slug);
      throw err;
    });
    // The shared limiter wraps each check, so the batch itself may queue everything at once.
    const results = await gradeBatch(list, check, { concurrency: MAX_GRADING_STUDENTS });
    return gradebookResponse(c, slug, results, format, maxScore);
  });

  return app;
}
