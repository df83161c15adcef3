import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { loadConfig } from './config.ts';
import { connectEngine, engineAddress } from './docker/engine.ts';
import { EngineMonitor } from './docker/engine-monitor.ts';
import { engineAdvice } from './docker/advice.ts';
import { createApp } from './http/app.ts';
import { ensureSiteBuilt } from './site/ensure-site.ts';
import { ensureImages, imageStatus, kitImageNames } from './images/index.ts';
import { SandboxDriver } from './docker/driver.ts';
import { diskQuotaOf } from './docker/disk-quota.ts';
import { CheckService } from './checkers/service.ts';
import { SessionManager } from './sessions/manager.ts';
import { startLifecycle } from './sessions/lifecycle.ts';
import { MAX_FRAME_BYTES } from './contract/terminal.ts';
import { detectIsolation } from './sandboxes/isolation.ts';
import { loadExercises } from './exercises/load.ts';
import { formatExerciseError } from './exercises/errors.ts';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { baseImages } from './exercises/base-images.ts';
import { openDatabase } from './db/database.ts';
import { pruneExpired } from './classroom/accounts.ts';
import { OidcSignIn } from './classroom/oidc.ts';
import { loadPlatforms } from './lti/platforms.ts';
import { pruneLogins } from './lti/launch.ts';
import { GradePassback } from './lti/grades.ts';
import { classmatesOf } from './classroom/classes.ts';
import { hostname } from 'node:os';
import { ownerLabel } from './docker/owner.ts';
import { ServerMembership, shareOf } from './cluster/servers.ts';
import { ClassPrewarm } from './cluster/class-prewarm.ts';
import { DatabaseLedger } from './cluster/ledger.ts';
import { startHeartbeat } from './cluster/heartbeat.ts';
import type { Lifecycle } from './sessions/lifecycle.ts';

const log = (line: string) => console.log(`[dockyard] ${line}`);

const config = loadConfig();
if (config.DOCKYARD_SKIP_SITE_BUILD === '0') {
  await ensureSiteBuilt(config.projectRoot, config.siteDir, log);
}

// Classes, students and their records: SQLite in the data folder, or PostgreSQL at DATABASE_URL.
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
log(`Classroom database: ${database.dialect} (${database.where}).`);
if (config.DOCKYARD_OIDC_ISSUER) log(`Institutional sign-in: OpenID Connect at ${config.DOCKYARD_OIDC_ISSUER} (redirect URI: <public URL>/api/auth/oidc/callback).`);
// The LMSs that may launch Dockyard (LTI 1.3): a bad file stops the start, naming the file and field.
const ltiPlatforms = config.DOCKYARD_LTI_PLATFORMS ? loadPlatforms(resolve(config.projectRoot, config.DOCKYARD_LTI_PLATFORMS)) : undefined;
if (ltiPlatforms) log(`LTI 1.3: launches accepted from ${ltiPlatforms.map((p) => p.issuer).join(', ')}.`);
// Grades for the LMS wait in the database until their platform takes them; those that failed are tried again.
const grades = ltiPlatforms && new GradePassback(database.db, ltiPlatforms, { log });
const gradeRetry = setInterval(() => {
  grades?.sendDue().catch((err: unknown) => log(`sending LMS grades failed: ${(err as Error).message}`));
}, 60_000);
gradeRetry.unref();
// Expired browser sessions and sign-in links are removed hourly (they are refused anyway).
const pruneEvery = setInterval(() => {
  Promise.all([pruneExpired(database.db), pruneLogins(database.db)]).catch((err: unknown) => log(`pruning expired sign-ins failed: ${(err as Error).message}`));
}, 60 * 60_000);
pruneEvery.unref();

const loaded = loadExercises(join(config.projectRoot, 'exercises'));
for (const error of loaded.errors) log(`exercise skipped: ${formatExerciseError(error)}`);
const exercisesBySlug = new Map(loaded.exercises.map((e) => [e.slug, e]));

const docker = connectEngine();
const address = engineAddress();
const monitor = new EngineMonitor(docker);

// The one sandbox driver of the process: sessions, pools and checks all make and remove their sandboxes through it.
// Its disk bound comes from DOCKYARD_SANDBOX_DISK_MB (validated above); its stops are logged.
const driver = new SandboxDriver(docker, { log, diskQuota: diskQuotaOf(config.DOCKYARD_SANDBOX_DISK_MB) });
// Dockerfile and compose checks start in a sandbox that already holds the images the exercises build from.
const checks = new CheckService(driver, {
  pool: { size: config.DOCKYARD_POOL_CHECK, images: baseImages(loaded.exercises) },
  log,
});
// This server among those sharing the database: sessions and clients' caps are counted there, so they hold across servers.
const servers = new ServerMembership(database.db, {
  // The same across restarts, so a restarted server takes its sessions back at once: its port, or its data folder.
  id: config.DOCKYARD_SERVER_ID ?? `${hostname()}:${config.PORT || config.dataDir}`,
  chosen: config.DOCKYARD_SERVER_ID !== undefined,
  owner: ownerLabel(),
  heartbeatMs: config.DOCKYARD_HEARTBEAT_SECONDS * 1000,
  log,
});
const sessions = new SessionManager(
  driver,
  {
    idleMs: config.DOCKYARD_IDLE_MINUTES * 60_000,
    ttlMs: config.DOCKYARD_TTL_MINUTES * 60_000,
    maxSessions: config.DOCKYARD_MAX_SESSIONS,
    maxPerClient: config.DOCKYARD_MAX_SESSIONS_PER_CLIENT,
    poolSize: { docker: config.DOCKYARD_POOL_DOCKER, python: config.DOCKYARD_POOL_PYTHON },
    keepMs: config.DOCKYARD_KEEP_DAYS * 24 * 60 * 60_000,
    keepPerClass: config.DOCKYARD_KEEP_PER_CLASS,
    freezePools: config.DOCKYARD_FREEZE_POOLS === '1',
    freezeIdleMs: config.DOCKYARD_FREEZE_IDLE_SECONDS * 1000,
  },
  { log, ledger: new DatabaseLedger(database.db, servers, log), classmatesOf: (owner) => classmatesOf(database.db, owner) },
);
let isolation: Promise<void> | undefined;
/** Picks the isolation profile of docker sandboxes once the engine answers (DOCKYARD_ISOLATION honoured), once. */
function isolationKnown(): Promise<void> {
  isolation ??= detectIsolation(docker, config.DOCKYARD_ISOLATION).then(
    (profile) => {
      driver.isolation = profile;
      log(`Docker sandboxes use the ${profile} isolation profile.`);
    },
    (err: unknown) => {
      isolation = undefined;
      throw err;
    },
  );
  return isolation;
}
let lifecycle: Lifecycle | undefined;
let stopHeartbeat: (() => void) | undefined;
// Classes starting soon grow the docker pool by their students, for the engine (each server keeps its share).
const prewarm = new ClassPrewarm(database.db, {
  leadMs: config.DOCKYARD_CLASS_PREWARM_MINUTES * 60_000,
  holdMs: config.DOCKYARD_CLASS_PREWARM_HOLD_MINUTES * 60_000,
  max: config.DOCKYARD_CLASS_PREWARM_MAX,
});
/** The warm pools as configured for the engine; each server sharing it keeps its share. */
const poolSizes = [
  [sessions.pools.docker, config.DOCKYARD_POOL_DOCKER],
  [sessions.pools.python, config.DOCKYARD_POOL_PYTHON],
  [checks.pool, config.DOCKYARD_POOL_CHECK],
] as const;
/** Splits each warm pool over the live servers on this engine (the docker pool grown for classes starting). */
async function sharePools(peers: readonly string[]): Promise<void> {
  const forClasses = await prewarm.wanted();
  for (const [pool, configured] of poolSizes) {
    const size = pool === sessions.pools.docker ? configured + forClasses : configured;
    const share = shareOf(size, peers, servers.id);
    if (pool.size !== share) await pool.resize(share);
  }
}
let sessionsStarting: Promise<void> | undefined;
/** Starts the session service once the engine answers and the images are there (once). */
function startSessionsWhenReady(): Promise<void> {
  sessionsStarting ??= (async () => {
    if (lifecycle || !monitor.state.ok || !(await imageStatus(docker)).ready) return;
    await isolationKnown();
    await servers.join((await docker.info()).ID);
    log(`Server ${servers.id}: ${servers.peers().length} server(s) share this engine.`);
    await sharePools(servers.peers());
    // Beating from now on: the first reconciliation may take long, and the others must not think this server gone.
    stopHeartbeat ??= startHeartbeat(servers, {
      onPeers: (peers) => void sharePools(peers).catch((err: unknown) => log(`sharing the warm pools: ${(err as Error).message}`)),
      onOrphans: () => void lifecycle?.reconcileNow(),
      log,
    });
    // Deadlines are checked often enough that a session never outlives its idle limit by more than a quarter.
    const expireEveryMs = Math.min(15_000, Math.max(1000, sessions.settings.idleMs / 4));
    lifecycle = await startLifecycle(sessions, { expireEveryMs, reconcileEveryMs: 60_000 }, log, [checks.pool]);
  })().finally(() => {
    sessionsStarting = undefined;
  });
  return sessionsStarting;
}

const reportSessionStart = (err: unknown) => log(`Starting the session service failed: ${(err as Error).message}`);

let imageBuild: Promise<void> | undefined;
/** A failed build is retried after this long, not on every check. */
const BUILD_RETRY_MS = 5 * 60_000;
let lastBuildFailure = 0;
/** Builds missing images in the background; the site and health keep answering meanwhile. */
function buildImagesIfMissing(): void {
  if (config.DOCKYARD_SKIP_IMAGES === '1') return void startSessionsWhenReady().catch(reportSessionStart);
  if (imageBuild || Date.now() - lastBuildFailure < BUILD_RETRY_MS) return;
  imageBuild = (async () => {
    const status = await imageStatus(docker);
    if (status.ready) return startSessionsWhenReady();
    log(`Sandbox images missing (${status.missing.join(', ')}): building them now. This takes minutes on a new machine.`);
    await ensureImages(docker, { onProgress: (line) => log(`images: ${line}`) });
    log('Sandbox images ready.');
    await startSessionsWhenReady();
  })()
    .catch((err: unknown) => {
      lastBuildFailure = Date.now();
      log(`Building sandbox images failed: ${(err as Error).message}. Run \`npm run images\` to see why; retrying in 5 minutes.`);
    })
    .finally(() => {
      imageBuild = undefined;
    });
}

monitor.onChange((state) => {
  if (state.ok) {
    log(`Docker engine ${state.version} answers at ${address}.`);
    // Checks may come before sessions start: their sandboxes get the same profile.
    isolationKnown().catch((err: unknown) => log(`Picking the isolation profile failed: ${(err as Error).message}`));
    buildImagesIfMissing();
  } else {
    log(engineAdvice(address, state.error));
  }
});
await monitor.probe();
monitor.start(5000);
// Images may appear later (built by `npm run images`, or by another process): keep checking until sessions run.
const sessionRetry = setInterval(() => {
  if (lifecycle) return clearInterval(sessionRetry);
  if (monitor.state.ok) buildImagesIfMissing();
}, 5000);
sessionRetry.unref();

const app = createApp({
  probeEngine: () => monitor.probe(),
  engineState: () => monitor.state,
  imageStatus: () => imageStatus(docker),
  imageNames: kitImageNames,
  sandboxes: () =>
    lifecycle && {
      isolation: driver.isolation,
      sessions: sessions.sessions.size,
      warm: { docker: sessions.pools.docker.available, python: sessions.pools.python.available, check: checks.pool.available },
    },
  engineAddress: address,
  siteDir: config.siteDir,
  sessions,
  exercises: {
    bySlug: exercisesBySlug,
    checks,
    graderToken: config.DOCKYARD_GRADER_TOKEN,
    concurrency: availableParallelism(),
    work: { total: config.DOCKYARD_MAX_CHECKS, perClient: config.DOCKYARD_MAX_CHECKS_PER_CLIENT },
  },
  sessionsReady: () => lifecycle !== undefined,
  allowedOrigins: config.DOCKYARD_ALLOWED_ORIGINS,
  classroom: {
    db: database.db,
    adminToken: config.DOCKYARD_ADMIN_TOKEN,
    publicUrl: config.DOCKYARD_PUBLIC_URL,
    allowedOrigins: config.DOCKYARD_ALLOWED_ORIGINS,
    oidc: oidcSignIn(),
  },
  lti: ltiPlatforms && grades && { platforms: ltiPlatforms, grades },
  log,
});

/** The institutional sign-in the configuration sets up (DOCKYARD_OIDC_*), or undefined when it is off. */
function oidcSignIn(): OidcSignIn | undefined {
  const { DOCKYARD_OIDC_ISSUER: issuer, DOCKYARD_OIDC_CLIENT_ID: clientId, DOCKYARD_OIDC_CLIENT_SECRET: clientSecret } = config;
  if (!issuer || !clientId || !clientSecret) return undefined;
  return new OidcSignIn({
    issuer,
    clientId,
    clientSecret,
    name: config.DOCKYARD_OIDC_NAME ?? new URL(issuer).hostname,
    instructorEmails: config.DOCKYARD_OIDC_INSTRUCTOR_EMAILS,
  });
}

const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, websocket: { server: wss } }, (info) => {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  log(`Dockyard is serving the course at http://${host}:${info.port}/`);
});

/** Stops cleanly: live sessions stay in the engine and are re-adopted at the next start. */
function shutdown(signal: string): void {
  log(`${signal} received, shutting down.`);
  monitor.stop();
  clearInterval(sessionRetry);
  clearInterval(pruneEvery);
  clearInterval(gradeRetry);
  for (const client of wss.clients) client.close(1001, 'server restarting');
  // Time for a pool sandbox still being created to finish and be removed (slow on a busy engine);
  // whatever a harder stop leaves, the next start's reconciliation removes.
  setTimeout(() => process.exit(0), 30_000).unref();
  void (async () => {
    await sessionsStarting?.catch(() => {});
    stopHeartbeat?.();
    await lifecycle?.stop();
    await Promise.all([sessions.drainPools(), checks.pool.drain(), checks.settle()]);
    await database.close();
  })()
    .catch((err: unknown) => log(`stopping sessions: ${(err as Error).message}`))
    .finally(() => server.close(() => process.exit(0)));
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
