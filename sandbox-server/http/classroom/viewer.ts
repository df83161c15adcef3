import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Tables, User } from '../../db/tables.ts';
import { userForSession } from '../../classroom/accounts.ts';
import { ApiError } from '../errors.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in user of this request, if its session cookie is good. */
    viewer: User | undefined;
    /** The session cookie's token, when there is one. */
    viewerToken: string | undefined;
  }
}

/** The cookie that carries a signed-in browser's session token. */
export const SESSION_COOKIE = 'dockyard_session';

/** Reads the session cookie and sets `viewer` (undefined when signed out or expired). */
export function loadViewer(db: Kysely<Tables>): MiddlewareHandler {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set('viewerToken', token);
    c.set('viewer', token && token.length <= 200 ? await userForSession(db, token) : undefined);
    await next();
  };
}

/** The signed-in user, of one of the given roles; 401 when signed out, 403 for another role. */
export function viewerOf(c: Context, ...roles: User['role'][]): User {
  const viewer = c.get('viewer');
  if (!viewer) throw new ApiError(401, 'not_signed_in', 'Sign in first: open your class join link or a sign-in link.');
  if (roles.length > 0 && !roles.includes(viewer.role)) {
    throw new ApiError(403, 'forbidden', `This needs a signed-in ${roles.join(' or ')}; you are signed in as a ${viewer.role}.`);
  }
  return viewer;
}

/**
 * Who a request counts as for per-client caps: a signed-in user as themself (so a class
 * behind one school address is many students), anyone else by `fallback` (their address).
 */
export function userOrElse(fallback: (c: Context) => string): (c: Context) => string {
  return (c) => {
    const viewer = c.get('viewer');
    return viewer ? `user:${viewer.id}` : fallback(c);
  };
}

/** Whether cookies set for this request may be marked Secure: https, or a loopback page (browsers treat it as secure). */
export function secureContext(c: Context): boolean {
  const url = new URL(c.req.url);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Signs this browser in: an http-only, SameSite=Lax cookie holding the session token. */
export function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: secureContext(c), path: '/', expires: expiresAt });
}

/** Signs this browser out. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureContext(c) });
}
