import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../db/tables.ts';
import { startAuthSession } from '../classroom/accounts.ts';
import { CLAIM } from '../lti/claims.ts';
import { startLogin, verifyLaunch } from '../lti/launch.ts';
import { admitLaunch } from '../lti/admit.ts';
import type { Platform } from '../lti/platforms.ts';
import { toolKeys } from '../lti/tool-keys.ts';
import { sitePagePath } from './classroom/links.ts';
import { parseRequest } from './validate.ts';
import { answerPage, formFields } from './classroom/body.ts';
import { publicOrigin } from './classroom/links.ts';
import { loadViewer, setSessionCookie, viewerOf } from './classroom/viewer.ts';
import { ownedClass } from '../classroom/classes.ts';
import type { GradePassback } from '../lti/grades.ts';

/** What the LTI routes need. */
export interface LtiDeps {
  db: Kysely<Tables>;
  /** The registered LMSs (DOCKYARD_LTI_PLATFORMS). */
  platforms: readonly Platform[];
  /** The origin the tool's URLs are made for (DOCKYARD_PUBLIC_URL); the request's own when unset. */
  publicUrl?: string | undefined;
}

const LoginSchema = z.object({
  iss: z.string().min(1).max(500),
  login_hint: z.string().min(1).max(2000),
  target_link_uri: z.string().min(1).max(2000),
  lti_message_hint: z.string().max(4000).optional(),
  client_id: z.string().min(1).max(500).optional(),
  lti_deployment_id: z.string().min(1).max(255).optional(),
});
const LaunchSchema = z.object({ id_token: z.string().min(1).max(64_000), state: z.string().min(1).max(200) });

/** The paths an LMS is given: its admin pastes these into the tool's registration. */
export const LTI_PATHS = { login: '/lti/login', launch: '/lti/launch', jwks: '/lti/jwks' } as const;

/** Where a launch lands: its target link when it is a page of this site, else the course's home. */
export function landingPath(target: string | undefined, origin: string): string {
  return sitePagePath(target, origin) ?? '/';
}

/** The LTI 1.3 tool: its public keys, the login a platform starts, and the launch that signs a student or an instructor in. */
export function ltiRoutes(deps: LtiDeps): Hono {
  const app = new Hono();
  const { db, platforms } = deps;

  app.get(LTI_PATHS.jwks, async (c) => c.json((await toolKeys(db)).jwks, 200, { 'Cache-Control': 'public, max-age=300' }));

  const login = (c: Context, fields: Record<string, unknown>) =>
    answerPage(c, 'Cannot start the launch', async () => {
      const request = parseRequest(LoginSchema, fields);
      const redirectUri = `${publicOrigin(c, deps.publicUrl)}${LTI_PATHS.launch}`;
      return c.redirect((await startLogin(db, platforms, request, redirectUri)).toString(), 302);
    });
  app.get(LTI_PATHS.login, (c) => login(c, c.req.query()));
  app.post(LTI_PATHS.login, async (c) => login(c, await formFields(c)));

  // The platform's form_post: another site's page posts it, so no CSRF origin rule applies; the state and nonce are its proof.
  app.post(LTI_PATHS.launch, (c) =>
    answerPage(c, 'Cannot sign you in from your course', async () => {
      const form = parseRequest(LaunchSchema, await formFields(c));
      const launch = await verifyLaunch(db, platforms, form);
      const admitted = await admitLaunch(db, launch);
      const session = await startAuthSession(db, admitted.user.id);
      setSessionCookie(c, session.token, session.expiresAt);
      return c.redirect(landingPath(launch.claims[CLAIM.targetLinkUri], publicOrigin(c, deps.publicUrl)), 303);
    }),
  );
  return app;
}

/** The instructor's view of grades sent to the LMS (mounted under /api/lti): what was sent, what waits, and why. */
export function ltiApi(db: Kysely<Tables>, grades: GradePassback): Hono {
  const app = new Hono();
  app.use('*', loadViewer(db));
  app.get('/classes/:id/grades', async (c) => {
    const cls = await ownedClass(db, viewerOf(c, 'instructor').id, c.req.param('id'));
    return c.json(await grades.ofClass(cls.id));
  });
  return app;
}
