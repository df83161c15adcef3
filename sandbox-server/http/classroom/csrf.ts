import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../errors.ts';

/**
 * Refuses state-changing requests a foreign page could have sent with the student's cookie.
 * A form-encodable body (what a cross-site form can post) must prove it comes from this
 * origin (Hono's csrf: Origin or Sec-Fetch-Site); any request whose browser headers name
 * another site is refused. Together with the SameSite=Lax cookie and no CORS grant, no other site can act
 * as a signed-in student.
 */
export function csrfGuard(allowedOrigins: readonly string[], opts: { onlyWithCookie?: string } = {}): MiddlewareHandler {
  const allowed = (origin: string, url: string) => origin === new URL(url).origin || allowedOrigins.includes(origin);
  const forms = csrf({ origin: (origin, c) => allowed(origin, c.req.url) });
  return async (c, next) => {
    if (/^(GET|HEAD|OPTIONS)$/.test(c.req.method)) return next();
    // Routes that also serve token-bearing clients are guarded only where a cookie rides along.
    if (opts.onlyWithCookie && !getCookie(c, opts.onlyWithCookie)) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    // A browser says where a request comes from; what it says must be this server's pages.
    const fromBrowser = origin !== undefined || site !== undefined;
    if (fromBrowser && site !== 'same-origin' && !(origin !== undefined && allowed(origin, c.req.url))) throw refused();
    let passed = false;
    try {
      await forms(c, async () => {
        passed = true;
      });
    } catch (err) {
      if (!(err instanceof HTTPException)) throw err;
    }
    if (!passed) throw refused();
    await next();
  };
}

function refused(): ApiError {
  return new ApiError(403, 'csrf_rejected', 'This request came from another site; Dockyard only accepts it from its own pages.');
}
