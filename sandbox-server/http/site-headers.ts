import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/*
 * The security headers of the course pages. Every page gets its own Content-Security-Policy:
 * scripts only from the site itself plus the exact inline scripts the page carries (by their
 * SHA-256, read from the page as it is served), so an injected script never runs. Why each
 * source is allowed: docs/security.md, "The course pages".
 */

/** The directives every page shares; `script-src` gets the page's own inline script hashes on top. */
export const SITE_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // Monaco and xterm create <style> elements as they run, and Starlight's markup carries style attributes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  // The API, and the terminal's WebSocket (same origin, ws: or wss:).
  'connect-src': ["'self'"],
  // Monaco's editor worker, bundled into the site's own files.
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
/** Script types a browser runs; anything else (JSON data, for one) is never executed. */
const RUNNABLE_TYPE = /^\s*(?:module|text\/javascript|application\/javascript)?\s*$/i;

/** The CSP sources (`'sha256-…'`) of the inline scripts `html` runs, each once, in page order. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, attributes = '', body = ''] of html.matchAll(SCRIPT)) {
    if (/\ssrc\s*=/i.test(` ${attributes}`)) continue;
    const type = /\stype\s*=\s*["']?([^"'\s>]*)/i.exec(` ${attributes}`)?.[1] ?? '';
    if (!RUNNABLE_TYPE.test(type)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

/** The policy of a page whose inline scripts hash to `hashes`. */
export function siteCsp(hashes: readonly string[]): string {
  return Object.entries(SITE_CSP_DIRECTIVES)
    .map(([name, sources]) => [name, ...sources, ...(name === 'script-src' ? hashes : [])].join(' '))
    .join('; ');
}

/**
 * The course pages' headers: those the API sends (nosniff, no framing, no referrer beyond the
 * site, …) and, on HTML, the page's Content-Security-Policy.
 */
export function siteHeaders(): MiddlewareHandler {
  const common = secureHeaders({
    xFrameOptions: 'DENY',
    // Same-origin requests keep their Origin and Referer: the classroom's CSRF guard reads them.
    referrerPolicy: 'same-origin',
  });
  return async (c, next) => {
    await common(c, async () => {
      await next();
      if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html')) return;
      const html = c.req.method === 'HEAD' || !c.res.body ? '' : await c.res.clone().text();
      c.res.headers.set('Content-Security-Policy', siteCsp(inlineScriptHashes(html)));
    });
  };
}
