import { Hono, type Context } from 'hono';
import type Docker from 'dockerode';
import { validateFiles } from '../checkers/python/validate-files.ts';
import { checkSubmission, UnsupportedKindError } from '../exercises/check.ts';
import type { Exercise } from '../exercises/load.ts';
import { ApiError } from './errors.ts';
import { bearerToken, jsonBody } from './validate.ts';
import { readFileSync } from 'node:fs';
import { checkLiveSandbox } from '../checkers/terminal/run.ts';
import { sandboxCheckWallMs } from '../checkers/sandbox/limits.ts';
import { CheckRequestSchema, type Verdict } from '../contract/verdict.ts';
import type { CheckErrorBody } from '../contract/errors.ts';
import type { SessionManager } from '../sessions/manager.ts';
import type { WorkSlots } from './work-slots.ts';


/** Exercise routes: list the exercises, and check a submission of one. */
export function exerciseRoutes(
  exercises: ReadonlyMap<string, Exercise>,
  docker: Docker,
  sessions?: SessionManager,
  share?: { slots: WorkSlots; clientKey: (c: Context) => string },
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
    const exercise = exercises.get(c.req.param('slug'));
    if (!exercise) throw new ApiError(404, 'exercise_not_found', `No exercise named ${c.req.param('slug')}.`);
    const body = await jsonBody(c, CheckRequestSchema);
    const release = share?.slots.take(share.clientKey(c));
    try {
      let verdict: Verdict;
      if ('sessionId' in body) {
        verdict = await checkSession(exercise, body.sessionId, bearerToken(c));
      } else {
        const valid = validateFiles(body.files);
        if (!valid.ok) throw new ApiError(400, 'invalid_files', valid.error);
        verdict = await checkSubmission(docker, exercise, body.files, { sandboxes: sessions?.checkSandboxes });
      }
      if (verdict.error_kind === 'internal') {
        // Not the student's doing, and never a grade: say so with a retryable status.
        const body: CheckErrorBody = { error: { code: 'check_failed', message: verdict.message ?? 'the checker failed to run' }, verdict };
        return c.json(body, 503, {
          'Retry-After': '5',
        });
      }
      return c.json(verdict);
    } catch (err) {
      if (err instanceof UnsupportedKindError) throw new ApiError(501, 'kind_not_supported', err.message);
      throw err;
    } finally {
      release?.();
    }
  });

  /** Checks the state a student built in their live docker session (terminal exercises). */
  async function checkSession(exercise: Exercise, sessionId: string, token: string | undefined): Promise<Verdict> {
    if (exercise.frontmatter.kind !== 'terminal') {
      throw new ApiError(400, 'invalid_request', `${exercise.slug} checks submitted files; send { files }.`);
    }
    if (!sessions) throw new ApiError(503, 'sessions_unavailable', 'Live sessions are not available on this server.');
    const session = sessions.authorize(sessionId, token);
    if (session.kind !== 'docker') throw new ApiError(400, 'invalid_request', 'A terminal exercise is checked in a docker session.');
    return checkLiveSandbox(docker, session.containerId, {
      checkProgram: readFileSync(exercise.checkPath, 'utf8'),
      limits: { wallMs: sandboxCheckWallMs(exercise.frontmatter.timeLimitSeconds) },
    });
  }

  return app;
}
