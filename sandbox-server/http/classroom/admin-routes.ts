import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { CreateInstructorRequestSchema } from '../../contract/classroom.ts';
import { ensureInstructor, INSTRUCTOR_LINK_MS, issueSignInLink } from '../../classroom/accounts.ts';
import { ApiError } from '../errors.ts';
import { bearerToken, jsonBody } from '../validate.ts';
import type { ClassroomDeps } from './deps.ts';
import { viewerJson } from './auth-routes.ts';
import { publicOrigin, signInUrl } from './links.ts';

/** Whether two secrets are equal, in time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The admin API (DOCKYARD_ADMIN_TOKEN): make an instructor and hand out their sign-in link. */
export function adminRoutes({ db, adminToken, publicUrl }: ClassroomDeps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!adminToken) throw new ApiError(404, 'not_found', 'The admin API is off: set DOCKYARD_ADMIN_TOKEN to turn it on.');
    const given = bearerToken(c);
    if (!given || !sameSecret(given, adminToken)) {
      throw new ApiError(401, 'unauthorized', 'Send Authorization: Bearer <DOCKYARD_ADMIN_TOKEN>.');
    }
    await next();
  });

  app.post('/instructors', async (c) => {
    const { email, name } = await jsonBody(c, CreateInstructorRequestSchema);
    const instructor = await ensureInstructor(db, email, name);
    const link = await issueSignInLink(db, instructor.id, INSTRUCTOR_LINK_MS);
    return c.json({ instructor: viewerJson(instructor), signInUrl: signInUrl(publicOrigin(c, publicUrl), link.token), expiresAt: link.expiresAt }, 201);
  });
  return app;
}
