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
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { baseImages } from './exercises/base-images.ts';
import { openDatabase } from './db/database.ts';
import { pruneExpired } from './classroom/accounts.ts';

const log = (line: string) => console.log(`[dockyard] ${line}`);

const config = loadConfig();
if (config.DOCKYARD_SKIP_SITE_BUILD === '0') {
  await ensureSiteBuilt(config.projectRoot, config.siteDir, log);
}

// Classes, students and their records: SQLite in the data folder, or PostgreSQL at DATABASE_URL.
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
log(`Classroom database: ${database.dialect} (${database.where}).`);
// Expired browser sessions and sign-in links are removed hourly (they are refused anyway).
const pruneEvery = setInterval(() => {
  pruneExpired(database.db).catch((err: unknown) => log(`pruning expired sign-ins failed: ${(err as Error).message}`));
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
const checks = new CheckService(driver, { pool: { size: config.DOCKYARD_POOL_CHECK, images: baseImages(loaded.exercises) }, log });
const sessions = new SessionManager(
  driver,
  {
    idleMs: config.DOCKYARD_IDLE_MINUTES * 60_000,
    ttlMs: config.DOCKYARD_TTL_MINUTES * 60_000,
    maxSessions: config.DOCKYARD_MAX_SESSIONS,
    maxPerClient: config.DOCKYARD_MAX_SESSIONS_PER_CLIENT,
    poolSize: { docker: config.DOCKYARD_POOL_DOCKER, python: config.DOCKYARD_POOL_PYTHON },
  },
  { log },
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
let stopLifecycle: (() => Promise<void>) | undefined;
let sessionsStarting: Promise<void> | undefined;
/** Starts the session service once the engine answers and the images are there (once). */
function startSessionsWhenReady(): Promise<void> {
  sessionsStarting ??= (async () => {
    if (stopLifecycle || !monitor.state.ok || !(await imageStatus(docker)).ready) return;
    await isolationKnown();
    // Deadlines are checked often enough that a session never outlives its idle limit by more than a quarter.
    const expireEveryMs = Math.min(15_000, Math.max(1000, sessions.settings.idleMs / 4));
    stopLifecycle = await startLifecycle(sessions, { expireEveryMs, reconcileEveryMs: 60_000 }, log, [checks.pool]);
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
  if (stopLifecycle) return clearInterval(sessionRetry);
  if (monitor.state.ok) buildImagesIfMissing();
}, 5000);
sessionRetry.unref();

const app = createApp({
  probeEngine: () => monitor.probe(),
  engineState: () => monitor.state,
  imageStatus: () => imageStatus(docker),
  imageNames: kitImageNames,
  sandboxes: () =>
    stopLifecycle && {
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
  sessionsReady: () => stopLifecycle !== undefined,
  allowedOrigins: config.DOCKYARD_ALLOWED_ORIGINS,
  classroom: {
    db: database.db,
    adminToken: config.DOCKYARD_ADMIN_TOKEN,
    publicUrl: config.DOCKYARD_PUBLIC_URL,
    allowedOrigins: config.DOCKYARD_ALLOWED_ORIGINS,
  },
  log,
});

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
  for (const client of wss.clients) client.close(1001, 'server restarting');
  // Time for a pool sandbox still being created to finish and be removed (slow on a busy engine);
  // whatever a harder stop leaves, the next start's reconciliation removes.
  setTimeout(() => process.exit(0), 30_000).unref();
  void (async () => {
    await sessionsStarting?.catch(() => {});
    await stopLifecycle?.();
    await Promise.all([sessions.drainPools(), checks.pool.drain()]);
    await database.close();
  })()
    .catch((err: unknown) => log(`stopping sessions: ${(err as Error).message}`))
    .finally(() => server.close(() => process.exit(0)));
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
