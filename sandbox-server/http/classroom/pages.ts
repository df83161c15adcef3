import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HtmlEscapedString } from 'hono/utils/html';
import { classForJoinCode } from '../../classroom/classes.ts';
import { ClassroomError } from '../../classroom/errors.ts';
import type { ClassroomDeps } from './deps.ts';
import { ApiError, CLASSROOM_STATUS } from '../errors.ts';

const page = (title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) => html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Dockyard</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; color: #1b1f24; }
      label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
      input { width: 100%; padding: 0.5rem; font: inherit; box-sizing: border-box; }
      button { margin-top: 1.25rem; padding: 0.5rem 1.25rem; font: inherit; }
    </style>
  </head>
  <body>
    <main>${body}</main>
  </body>
</html>`;

/** The page a form post answers when it is refused: what went wrong, in words, with the same status. */
export function refusalPage(c: Context, title: string, err: unknown): Response | Promise<Response> {
  if (err instanceof ClassroomError) return c.html(page(title, html`<h1>${title}</h1><p>${err.message}</p>`), CLASSROOM_STATUS[err.kind]);
  if (err instanceof ApiError) return c.html(page(title, html`<h1>${title}</h1><p>${err.message}</p>`), err.status);
  throw err;
}

/**
 * The pages a sign-in link and a join link open: the course site's own pages (site/pages/),
 * served under the links' paths. Opening a link changes nothing: the page's button posts, so a
 * link preview or a prefetch never spends a one-time link. A join link of a closed or unknown
 * class answers its status (410, 404) with the same page, which says why.
 */
export function classroomPages({ db }: ClassroomDeps, site: Hono | undefined): Hono {
  const app = new Hono();
  const sitePage = async (c: Context, path: string, status: ContentfulStatusCode) => {
    if (!site) throw new ApiError(404, 'not_found', 'This server has no course site to show (API-only mode).');
    const res = await site.request(new URL(path, c.req.url), { headers: c.req.raw.headers });
    return new Response(res.body, { status: res.ok ? status : res.status, headers: res.headers });
  };

  app.get('/sign-in', (c) => sitePage(c, '/sign-in/', 200));

  app.get('/join/:code', async (c) => {
    try {
      await classForJoinCode(db, c.req.param('code'));
      return sitePage(c, '/join/', 200);
    } catch (err) {
      if (err instanceof ClassroomError) return sitePage(c, '/join/', CLASSROOM_STATUS[err.kind]);
      throw err;
    }
  });
  return app;
}
