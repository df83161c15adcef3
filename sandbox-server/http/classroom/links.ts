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
