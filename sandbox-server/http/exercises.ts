import { Hono, type Context } from 'hono';
import type { CheckService } from '../checkers/service.ts';
import { validateFiles } from '../checkers/validate-files.ts';
import type { CheckedSubmission } from '../contract/classroom.ts';
import type { CheckErrorBody } from '../contract/errors.ts';
import { CheckRequestSchema, type Verdict } from '../contract/verdict.ts';
import type { Exercise } from '../exercises/load.ts';
import type { SessionManager } from '../sessions/manager.ts';
import { ApiError } from './errors.ts';
import { bearerToken, jsonBody } from './validate.ts';
import type { WorkSlots } from './work-slots.ts';

/** The exercise named in the route, or 404. */
export function exerciseOf(exercises: ReadonlyMap<string, Exercise>, slug: string): Exercise {
  const exercise = exercises.get(slug);
  if (!exercise) throw new ApiError(404, 'exercise_not_found', `No exercise named ${slug}.`);
  return exercise;
}

/** What a Check looked at and the verdict it reached. */
export interface CheckedEvent {
  exercise: Exercise;
  submission: CheckedSubmission;
  verdict: Verdict;
}

/** Told of each Check that reached a verdict (never of a checker failure), before the route answers. */
export type OnChecked = (c: Context, checked: CheckedEvent) => Promise<void>;

/** Exercise routes: list the exercises, and check a submission of one. */
export function exerciseRoutes(
  exercises: ReadonlyMap<string, Exercise>,
  checks: CheckService,
  sessions?: SessionManager,
  share?: { slots: WorkSlots; clientKey: (c: Context) => string; onChecked?: OnChecked | undefined },
): Hono {
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
    const exercise = exerciseOf(exercises, c.req.param('slug'));
    const body = await jsonBody(c, CheckRequestSchema);
    const release = share?.slots.take(share.clientKey(c));
    try {
      let verdict: Verdict;
      if ('sessionId' in body) {
        verdict = await checks.checkLive(exercise, async () => {
          if (!sessions) throw new ApiError(503, 'sessions_unavailable', 'Live sessions are not available on this server.');
          return (await sessions.authorize(body.sessionId, bearerToken(c))).sandbox;
        });
      } else {
        const valid = validateFiles(body.files);
        if (!valid.ok) throw new ApiError(400, 'invalid_files', valid.error);
        verdict = await checks.check(exercise, body.files);
      }
      if (verdict.error_kind === 'internal') {
        // Not the student's doing, and never a grade: say so with a retryable status.
        const failed: CheckErrorBody = { error: { code: 'check_failed', message: verdict.message ?? 'the checker failed to run' }, verdict };
        return c.json(failed, 503, { 'Retry-After': '5' });
      }
      const submission: CheckedSubmission = 'sessionId' in body ? { kind: 'terminal', sessionId: body.sessionId } : { kind: 'files', files: body.files };
      await share?.onChecked?.(c, { exercise, submission, verdict });
      return c.json(verdict);
    } finally {
      release?.();
    }
  });

  return app;
}
