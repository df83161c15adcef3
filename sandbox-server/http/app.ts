import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { EngineProbe } from '../docker/engine.ts';
import { engineAdvice } from '../docker/advice.ts';
import { ApiError, errorBody, handleError } from './errors.ts';
import { healthRoutes, type HealthSources } from './health.ts';
import { siteRoutes } from './site.ts';
import { sessionRoutes } from './sessions.ts';
import { checkOrigin, terminalRoute } from './terminal.ts';
import type { SessionManager } from '../sessions/manager.ts';
import type { Exercise } from '../exercises/load.ts';
import type { CheckService } from '../checkers/service.ts';
import { exerciseRoutes } from './exercises.ts';
import { gradingRoutes } from './grading.ts';
import { runRoutes } from './run.ts';
import { DEFAULT_WORK_LIMITS, WorkSlots, type WorkLimits } from './work-slots.ts';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { classroomApi, type ClassroomDeps } from './classroom/index.ts';
import { trustedOrigins } from './classroom/deps.ts';
import { loadViewer, SESSION_COOKIE, userOrElse } from './classroom/viewer.ts';
import { csrfGuard } from './classroom/csrf.ts';
import { releaseOldest } from './classroom/release-oldest.ts';
import { recordStudentChecks } from './classroom/record-checks.ts';
import { classroomPages } from './classroom/pages.ts';
import { ltiApi, ltiRoutes } from './lti.ts';
import type { GradePassback } from '../lti/grades.ts';
import type { Platform } from '../lti/platforms.ts';

/** Everything the HTTP layer needs from the rest of the service. */
export interface AppDeps extends HealthSources {
  /** The last known engine state, for gating API routes that need an engine. */
  engineState(): EngineProbe;
  /** Folder of the built course site; omitted in API-only mode (development with `astro dev`). */
  siteDir?: string | undefined;
  /** Sessions and their sandboxes; omitted, the session routes answer 404. */
  sessions?: SessionManager | undefined;
  /** Whether the session service has started (images ready, live sessions re-adopted). */
  sessionsReady?: () => boolean;
  /** Exercises by slug, with the service that checks and runs them; omitted, exercise routes answer 404. */
  exercises?:
    | {
        bySlug: ReadonlyMap<string, Exercise>;
        checks: CheckService;
        graderToken?: string | undefined;
        concurrency: number;
        /** Checks and runs in flight, on the server and per client; generous defaults when omitted. */
        work?: WorkLimits | undefined;
      }
    | undefined;
  /** Page origins besides the server's own that may open terminals. */
  allowedOrigins?: readonly string[];
  /** The classroom (classes, sign-in, students' records); omitted, its routes answer 404. */
  classroom?: ClassroomDeps | undefined;
  /** LTI 1.3 launches from the registered LMSs (needs the classroom); omitted, the /lti routes answer 404. */
  lti?: { platforms: readonly Platform[]; grades: GradePassback } | undefined;
  /** Who is asking, for per-client caps: the peer address by default. */
  clientKey?: (c: Context) => string;
  log?: (line: string) => void;
}

/** The peer address of a request, or `local` when there is none (in-process requests). */
function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** Largest request body an API route accepts. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest body of a batch grading request. */
export const MAX_GRADING_BODY_BYTES = 32 * 1024 * 1024;

/** The Dockyard HTTP app: the JSON API under /api and the built course site on the same port. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError(handleError);

  const api = new Hono();
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `Request bodies here are limited to ${maxSize} bytes.`);
      },
    });
  const defaultLimit = limitBody(MAX_BODY_BYTES);
  const gradingLimit = limitBody(MAX_GRADING_BODY_BYTES);
  // A grading batch carries many submissions; every other route, one.
  api.use((c, next) => (c.req.path.startsWith('/api/grading/') ? gradingLimit(c, next) : defaultLimit(c, next)));
  api.route('/health', healthRoutes(deps));
  // The classroom needs its database, not the engine.
  // An LTI student's recorded Checks (their own and a regrade's) send their grade to the LMS, without holding up the answer.
  const grades = deps.lti?.grades;
  if (deps.classroom) {
    const checks = deps.exercises && {
      exercises: deps.exercises.bySlug,
      check: deps.exercises.checks.check.bind(deps.exercises.checks),
      recorded: grades && ((userId: string, slug: string) => grades.checkRecorded(userId, slug)),
    };
    api.route('/', classroomApi({ regrade: checks, ...deps.classroom }));
    if (deps.lti) api.route('/lti', ltiApi(deps.classroom.db, deps.lti.grades));
  }
  // Sandboxes and checks know the signed-in student: caps then count them, not their address.
  const classroom = deps.classroom;
  const viewer = classroom && loadViewer(classroom.db);
  if (classroom && viewer) {
    const guard = csrfGuard(trustedOrigins(classroom), { onlyWithCookie: SESSION_COOKIE });
    for (const path of ['/sessions', '/sessions/*', '/exercises/*']) api.use(path, guard, viewer);
  }
  const clientKey = deps.clientKey ?? (viewer ? userOrElse(peerAddress) : peerAddress);
  // Every other API route needs an engine: without one, answer 503 and say what to do.
  api.use('*', async (c, next) => {
    const engine = deps.engineState();
    if (!engine.ok) {
      return c.json(errorBody('engine_unavailable', engineAdvice(deps.engineAddress, engine.error)), 503, {
        'Retry-After': '10',
      });
    }
    await next();
  });
  if (deps.sessions) {
    const log = deps.log ?? (() => {});
    // Until live sessions are re-adopted, "no such session" could be wrong: ask the client to retry.
    const requireStarted: MiddlewareHandler = async (_c, next) => {
      if (deps.sessionsReady && !deps.sessionsReady()) {
        throw new ApiError(503, 'starting', 'Sandboxes are starting up (images being checked, sessions being restored); retry shortly.', {
          'Retry-After': '2',
        });
      }
      await next();
    };
    api.use('/sessions', requireStarted);
    api.use('/sessions/*', requireStarted);
    api.get('/sessions/:id/terminal', checkOrigin(deps.allowedOrigins ?? []), ...terminalRoute(deps.sessions, log));
    const manager = deps.sessions;
    // A signed-in student at their cap has their oldest sandbox released rather than a 429.
    const makeRoom = viewer && (async (c: Context, key: string) => (c.get('viewer') ? releaseOldest(manager, key) : undefined));
    const reuse = viewer && ((c: Context) => c.get('viewer') !== undefined);
    const keepFor = viewer && ((c: Context) => c.get('viewer')?.id);
    api.route('/sessions', sessionRoutes(manager, clientKey, { makeRoom, reuse, keepFor }));
  }
  if (deps.exercises) {
    const { bySlug, checks, graderToken, concurrency, work } = deps.exercises;
    // One share for Check and Run: each starts a container of its own.
    const slots = new WorkSlots(work ?? DEFAULT_WORK_LIMITS);
    // A signed-in student's Checks are recorded for them and their instructor.
    const onChecked = classroom && recordStudentChecks(classroom.db, deps.log, grades && ((userId, slug) => grades.checkRecorded(userId, slug)));
    api.route('/exercises', exerciseRoutes(bySlug, checks, deps.sessions, { slots, clientKey, onChecked }));
    api.route('/exercises', runRoutes({ exercises: bySlug, checks, slots, clientKey }));
    api.route('/grading', gradingRoutes(bySlug, checks, { token: graderToken, concurrency }));
  }
  // Unknown API paths answer in JSON, never with the site's HTML 404 page.
  api.all('*', (c) => c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}.`), 404));

  app.use('/api/*', secureHeaders());
  app.route('/api', api);
  const site = deps.siteDir ? siteRoutes(deps.siteDir) : undefined;
  if (deps.classroom) app.route('/', classroomPages(deps.classroom, site));
  // An LMS posts its launch from another site: the same bound as the API's bodies.
  if (deps.classroom && deps.lti) {
    app.use('/lti/*', defaultLimit);
    app.route('/', ltiRoutes({ db: deps.classroom.db, publicUrl: deps.classroom.publicUrl, ...deps.lti }));
  }
  if (site) app.route('/', site);
  app.notFound((c) => c.text('Not found', 404));
  return app;
}
