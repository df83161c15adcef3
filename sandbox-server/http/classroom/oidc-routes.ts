import { hkdfSync } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { z } from 'zod';
import { startAuthSession, userForIdentity } from '../../classroom/accounts.ts';
import { OIDC_LOGIN_MS, type OidcSignIn, type PendingLogin } from '../../classroom/oidc.ts';
import { ApiError } from '../errors.ts';
import { answerNavigation } from './body.ts';
import type { ClassroomDeps } from './deps.ts';
import { publicOrigin, sitePagePath } from './links.ts';
import { secureContext, setSessionCookie } from './viewer.ts';

/** The cookie holding a sign-in under way (state, nonce, PKCE verifier, return path), signed, for the callback only. */
export const OIDC_LOGIN_COOKIE = 'dockyard_oidc';
/** Where the OIDC routes live; the login cookie goes nowhere else. */
export const OIDC_PATH = '/api/auth/oidc';

const PendingLoginSchema = z.object({
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  codeVerifier: z.string().min(43).max(128),
  returnTo: z.string().max(2000).optional(),
  expiresAt: z.number().int(),
});

/**
 * The key that signs the login cookie, derived from the client secret: every server sharing
 * the configuration (and the database) accepts the cookie another one set.
 */
function cookieKey(oidc: OidcSignIn): string {
  return Buffer.from(hkdfSync('sha256', oidc.settings.clientSecret, oidc.settings.issuer, 'dockyard oidc login cookie', 32)).toString('base64url');
}

function decodePending(raw: string | false | undefined): PendingLogin | undefined {
  if (!raw) return undefined;
  try {
    const parsed = PendingLoginSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The redirect URI registered at the provider: the public origin's callback. */
export function oidcRedirectUri(origin: string): string {
  return `${origin}${OIDC_PATH}/callback`;
}

/** Sign-in by the institution's OpenID provider: start (off to the provider) and callback (back, signed in). */
export function oidcRoutes({ db, publicUrl, oidc }: ClassroomDeps): Hono {
  const app = new Hono();
  const enabled = (): OidcSignIn => {
    if (!oidc) throw new ApiError(404, 'oidc_off', 'Institutional sign-in (OpenID Connect) is not set up on this server; sign in with a one-time link.');
    return oidc;
  };
  const cookieOptions = (c: Context) => ({ path: OIDC_PATH, secure: secureContext(c) });

  app.get('/start', (c) =>
    answerNavigation(c, 'Cannot sign in', async () => {
      const provider = enabled();
      const origin = publicOrigin(c, publicUrl);
      const asked = c.req.query('returnTo');
      const returnTo = sitePagePath(asked, origin);
      if (asked !== undefined && returnTo === undefined) {
        throw new ApiError(400, 'invalid_return_path', 'returnTo must be a path on this site, such as /lessons/; Dockyard sends no one to another site.');
      }
      const { url, pending } = await provider.begin(oidcRedirectUri(origin), returnTo);
      const value = Buffer.from(JSON.stringify(pending)).toString('base64url');
      await setSignedCookie(c, OIDC_LOGIN_COOKIE, value, cookieKey(provider), {
        ...cookieOptions(c),
        httpOnly: true,
        sameSite: 'Lax',
        maxAge: OIDC_LOGIN_MS / 1000,
      });
      return c.redirect(url.href, 302);
    }),
  );

  app.get('/callback', (c) =>
    answerNavigation(c, 'Cannot sign in', async () => {
      const provider = enabled();
      // One callback per sign-in: the cookie goes whatever happens next.
      const pending = decodePending(await getSignedCookie(c, cookieKey(provider), OIDC_LOGIN_COOKIE));
      deleteCookie(c, OIDC_LOGIN_COOKIE, cookieOptions(c));
      const origin = publicOrigin(c, publicUrl);
      const callback = new URL(oidcRedirectUri(origin));
      callback.search = new URL(c.req.url).search;
      const identity = await provider.finish(callback, pending);
      const user = await userForIdentity(db, identity);
      const session = await startAuthSession(db, user.id);
      setSessionCookie(c, session.token, session.expiresAt);
      const home = user.role === 'instructor' ? '/instructor/' : '/';
      return c.redirect(sitePagePath(pending?.returnTo, origin) ?? home, 303);
    }),
  );

  return app;
}
