import { Hono } from 'hono';
import { SignInRequestSchema, type AuthProviders } from '../../contract/classroom.ts';
import { DEVICE_LINK_MS, endAuthSession, issueSignInLink, redeemSignInLink, startAuthSession } from '../../classroom/accounts.ts';
import { classesOfUser } from '../../classroom/classes.ts';
import type { User } from '../../db/tables.ts';
import type { ClassroomDeps } from './deps.ts';
import { answerForm, isFormPost, jsonOrFormBody } from './body.ts';
import { publicOrigin, signInUrl } from './links.ts';
import { OIDC_PATH } from './oidc-routes.ts';
import { clearSessionCookie, setSessionCookie, viewerOf } from './viewer.ts';

/** A user as the API shows them. */
export function viewerJson(user: User) {
  return { id: user.id, role: user.role, displayName: user.display_name, email: user.email };
}

/** The sign-in providers, sign-in by one-time link, sign-out, who am I, and a link to sign in on another device. */
export function authRoutes({ db, publicUrl, oidc }: ClassroomDeps): Hono {
  const app = new Hono();

  // The sign-in page asks which buttons to show.
  app.get('/providers', (c) => {
    const body: AuthProviders = { oidc: oidc ? { name: oidc.settings.name, startUrl: `${OIDC_PATH}/start` } : null };
    return c.json(body);
  });

  app.post('/sign-in', (c) =>
    answerForm(c, 'Cannot sign in', async () => {
      const { token } = await jsonOrFormBody(c, SignInRequestSchema);
      const user = await redeemSignInLink(db, token);
      const session = await startAuthSession(db, user.id);
      setSessionCookie(c, session.token, session.expiresAt);
      return isFormPost(c) ? c.redirect('/', 303) : c.json(viewerJson(user));
    }),
  );

  app.post('/sign-out', async (c) => {
    const token = c.get('viewerToken');
    if (token) await endAuthSession(db, token);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  // Who is signed in, with their classes: the course's header shows both.
  app.get('/me', async (c) => {
    const user = viewerOf(c);
    return c.json({ ...viewerJson(user), classes: await classesOfUser(db, user) });
  });

  // A fresh one-time link to open on another device: it signs that device in as this user.
  app.post('/links', async (c) => {
    const user = viewerOf(c);
    const link = await issueSignInLink(db, user.id, DEVICE_LINK_MS);
    return c.json({ url: signInUrl(publicOrigin(c, publicUrl), link.token), expiresAt: link.expiresAt }, 201);
  });

  return app;
}
