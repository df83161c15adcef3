import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
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
 * The pages a sign-in link and a join link open. Opening a link changes nothing: the button
 * posts the form, so a link preview or a prefetch never spends a one-time link.
 */
export function classroomPages({ db }: ClassroomDeps): Hono {
  const app = new Hono();
  // Inline styles only, no scripts: the strictest policy these pages need.
  const headers = secureHeaders({
    // The form's post then carries its Origin (no-referrer would send "null").
    referrerPolicy: 'same-origin',
    contentSecurityPolicy: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], formAction: ["'self'"], frameAncestors: ["'none'"] },
  });
  app.use('/sign-in', headers);
  app.use('/join/*', headers);

  app.get('/sign-in', (c) =>
    c.html(
      page(
        'Sign in',
        html`<h1>Sign in to Dockyard</h1>
          <p>This link signs this browser in, once.</p>
          <form method="post" action="/api/auth/sign-in">
            <input type="hidden" name="token" value="${c.req.query('token') ?? ''}" />
            <button type="submit">Sign in</button>
          </form>`,
      ),
    ),
  );

  app.get('/join/:code', async (c) => {
    const code = c.req.param('code');
    try {
      const joined = await classForJoinCode(db, code);
      return c.html(
        page(
          `Join ${joined.name}`,
          html`<h1>Join ${joined.name}</h1>
            <form method="post" action="/api/join/${encodeURIComponent(code)}">
              <label for="displayName">Your name</label>
              <input id="displayName" name="displayName" required maxlength="80" autocomplete="name" />
              ${joined.require_email
                ? html`<label for="email">Your email</label><input id="email" name="email" type="email" required autocomplete="email" />`
                : ''}
              <button type="submit">Join the class</button>
            </form>`,
        ),
      );
    } catch (err) {
      return refusalPage(c, 'Cannot join', err);
    }
  });
  return app;
}
