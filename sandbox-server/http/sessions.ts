import { Hono, type Context } from 'hono';
import { CreateSessionRequestSchema } from '../contract/session.ts';
import { describeSession, type SessionManager } from '../sessions/manager.ts';
import { bearerToken, jsonBody } from './validate.ts';

/** How session creation treats a client at its cap. */
export interface SessionRouteOptions {
  /** Called before creating when it may free room (a signed-in student's oldest session is released); else the cap answers 429. */
  makeRoom?: ((c: Context, clientKey: string) => Promise<void>) | undefined;
  /** Whether this client's live sandbox of the kind asked for is given back rather than another started (a signed-in student). */
  reuse?: ((c: Context) => boolean) | undefined;
  /** The signed-in student whose docker sandbox is kept between visits (their user id); undefined for anyone else. */
  keepFor?: ((c: Context) => string | undefined) | undefined;
}

/** Session routes: create, look up and end a session. */
export function sessionRoutes(manager: SessionManager, clientKey: (c: Context) => string, opts: SessionRouteOptions = {}): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const { kind } = await jsonBody(c, CreateSessionRequestSchema);
    const key = clientKey(c);
    // A signed-in student's sandbox follows them from page to page and module to module.
    const held = opts.reuse?.(c) ? manager.liveSessionOf(key, kind) : undefined;
    if (held) return c.json(await manager.addToken(held), 201);
    await opts.makeRoom?.(c, key);
    const created = await manager.create(kind, key, { keepFor: opts.keepFor?.(c) });
    return c.json(created, 201);
  });

  app.get('/:id', async (c) => {
    const session = await manager.authorize(c.req.param('id'), bearerToken(c));
    return c.json(describeSession(session));
  });

  app.delete('/:id', async (c) => {
    const session = await manager.authorize(c.req.param('id'), bearerToken(c));
    await manager.destroy(session.id, 'ended by its owner');
    return c.body(null, 204);
  });

  return app;
}
