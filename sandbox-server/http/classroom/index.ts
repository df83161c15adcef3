import { Hono } from 'hono';
import { adminRoutes } from './admin-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { classRoutes, joinRoutes } from './class-routes.ts';
import { csrfGuard } from './csrf.ts';
import { trustedOrigins, type ClassroomDeps } from './deps.ts';
import { meRoutes } from './me-routes.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { loadViewer } from './viewer.ts';

export type { ClassroomDeps } from './deps.ts';

/** The classroom API (mounted under /api): sign-in, classes, joining, and a student's own records. */
export function classroomApi(deps: ClassroomDeps): Hono {
  const app = new Hono();
  const guard = csrfGuard(trustedOrigins(deps));
  const viewer = loadViewer(deps.db);
  for (const prefix of ['/auth', '/admin', '/classes', '/join', '/me']) {
    app.use(prefix, guard, viewer);
    app.use(`${prefix}/*`, guard, viewer);
  }
  app.route('/auth/oidc', oidcRoutes(deps));
  app.route('/auth', authRoutes(deps));
  app.route('/admin', adminRoutes(deps));
  app.route('/classes', classRoutes(deps));
  app.route('/join', joinRoutes(deps));
  app.route('/me', meRoutes(deps));
  return app;
}
