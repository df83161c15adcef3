import { Hono, type Context } from 'hono';
import type Docker from 'dockerode';
import { z } from 'zod';
import { validateFiles } from '../checkers/python/validate-files.ts';
import { checkSubmission, UnsupportedKindError } from '../exercises/check.ts';
import type { Exercise } from '../exercises/load.ts';
import { ApiError } from './errors.ts';
import { bearerToken, jsonBody } from './validate.ts';
import { readFileSync } from 'node:fs';
import { checkLiveSandbox } from '../checkers/terminal/run.ts';
import { sandboxCheckWallMs } from '../checkers/sandbox/limits.ts';
import type { Verdict } from '../checkers/verdict.ts';
import type { SessionManager } from '../sessions/manager.ts';
import type { WorkSlots } from './work-slots.ts';

/** The body of POST /api/exercises/:slug/check: submitted files, or a live session to inspect. */
export const checkRequestSchema = z.union([
  z.object({ files: z.record(z.string(), z.string()).describe('The submission: file path → content.') }).strict(),
  z
    .object({ sessionId: z.string().describe("A live docker session whose state a terminal exercise checks (with the session's bearer token).") })
    .strict(),
]);

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
    const body = await jsonBody(c, checkRequestSchema);
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
        return c.json({ error: { code: 'check_failed', message: verdict.message ?? 'the checker failed to run' }, verdict }, 503, {
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
