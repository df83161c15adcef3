import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { siteHeaders } from './site-headers.ts';

/** Serves the built course site from `root`, with its own 404 page for unknown paths, every answer with the site's security headers. */
export function siteRoutes(root: string): Hono {
  const app = new Hono();
  app.use('*', siteHeaders());
  app.use('/_astro/*', async (c, next) => {
    await next();
    // Astro fingerprints these file names, so they can be cached for good.
    if (c.res.ok) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root }));
  app.get('*', async (c) => {
    const page = await readFile(join(root, '404.html'), 'utf8').catch(() => 'Not found');
    return c.html(page, 404);
  });
  return app;
}
