import type { Context } from 'hono';

/** Where links Dockyard hands out point: the configured public URL, else the origin the request came to. */
export function publicOrigin(c: Context, publicUrl: string | undefined): string {
  return (publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

/** The one-time sign-in link for a token. */
export function signInUrl(origin: string, token: string): string {
  return `${origin}/sign-in?token=${encodeURIComponent(token)}`;
}

/** A class's join link. */
export function joinUrl(origin: string, code: string): string {
  return `${origin}/join/${encodeURIComponent(code)}`;
}

/**
 * The path of `target` (a path, or a URL of `origin`) when it is a page of this site, not its API
 * or LTI endpoints; undefined otherwise. A return or landing path never leads to another site.
 */
export function sitePagePath(target: string | undefined, origin: string): string | undefined {
  if (!target || target.length > 2000 || /[\u0000-\u001f\u007f]/.test(target)) return undefined;
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || url.pathname.startsWith('/lti/') || url.pathname.startsWith('/api/')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
