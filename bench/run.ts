/** Entry of `npm run bench`: times sessions, keystrokes and idle memory beside same-run baselines; writes docs/benchmarks.md. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectEngine, engineAddress, probeEngine } from '../sandbox-server/docker/engine.ts';
import { ensureImages, imageStatus } from '../sandbox-server/images/index.ts';
import { startServer, type RunningServer } from '../tests/support/server.ts';
import { createSession, waitForSessionService, waitForWarm } from './api-client.ts';
import { Cleanup } from './cleanup.ts';
import { dockerRunBaseline } from './docker-run-baseline.ts';
import { sampleIdleMemory, startIdleBusybox } from './idle-memory.ts';
import { keystrokeEcho } from './keystroke-echo.ts';
import { machineFacts } from './machine-facts.ts';
import { renderDocument, renderTable, type Row } from './report.ts';
import { carrySections } from './doc-sections.ts';
import { sessionContainer } from './sandbox-lookup.ts';
import { CHECKED_COMPOSE_EXERCISE, CHECKED_DOCKERFILE_EXERCISE, checkLatency, CHECKED_EXERCISE, pythonImageBaseline, solutionFiles } from './check-latency.ts';
import { BATCH_SIZE, batchThroughput } from './batch-throughput.ts';
import { availableParallelism } from 'node:os';
import { coldSessionReady, WARM_SETTLE_MS, warmSessionReady } from './session-ready.ts';
import { formatValue, median, percentile, toMiB } from './stats.ts';
import { sleep } from './timing.ts';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 20));
const KEYSTROKES = Math.max(30, RUNS);
const IDLE_WAIT_MS = 5000;
/** Batches are long (50 checks each): fewer rounds, each a median over 50 submissions. */
const BATCH_RUNS = Math.max(1, Number(process.env.BENCH_BATCH_RUNS ?? 3));
/** Dockerfile checks take seconds each (a build in a sandbox of their own): fewer runs. */
const DOCKERFILE_RUNS = Math.max(1, Number(process.env.BENCH_DOCKERFILE_RUNS ?? 10));
/** Compose checks take longer still (two `up`s, a build with pip). */
const COMPOSE_RUNS = Math.max(1, Number(process.env.BENCH_COMPOSE_RUNS ?? 5));
const DOC = resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const log = (line: string) => console.error(`[bench] ${line}`);

const docker = connectEngine();
const cleanup = new Cleanup(docker);
const BUSYBOX_RUN = '`docker run --rm busybox true` (baseline A)';
const dockerfileSolution = solutionFiles(CHECKED_DOCKERFILE_EXERCISE, ['Dockerfile']);
const composeSolution = solutionFiles(CHECKED_COMPOSE_EXERCISE, ['Dockerfile', 'compose.yaml']);

const rows = {
  coldDocker: row('Session ready, cold, docker kind', 'ms', BUSYBOX_RUN, { kind: 'ratio-at-most', max: 5 },
    'Server with `DOCKYARD_POOL_DOCKER=0`; wall time of `POST /api/sessions {"kind":"docker"}` until the 201 body is read (the sandbox container, its network, storage volume and nested engine all ready). Each session is then ended with DELETE, untimed. One unmeasured warm-up first.'),
  coldPython: row('Session ready, cold, python kind', 'ms', BUSYBOX_RUN,
    { kind: 'ratio-at-most', max: 2, note: "bench's own" },
    'Server with `DOCKYARD_POOL_PYTHON=0`; same as the cold docker row with `{"kind":"python"}`. A python sandbox counts as ready once its container has started (there is no engine inside to wait for), while baseline A also waits for `true` to exit and for the container to be removed, so a ratio below 1 is expected. The issue asks only to report this figure; ≤ 2× is the bench\'s own target.'),
  warmDocker: row('Session ready, warm pool, docker kind', 'ms', BUSYBOX_RUN, { kind: 'ratio-below', below: 1 },
    `Server with pool size 1 per kind; before each run, untimed, the bench polls \`/api/health\` until \`sandboxes.warm.docker >= 1\` and waits ${WARM_SETTLE_MS} ms more; then times POST → 201. DELETE untimed. One unmeasured warm-up first.`),
  warmPython: row('Session ready, warm pool, python kind', 'ms', BUSYBOX_RUN, { kind: 'ratio-below', below: 1 },
    'As the warm docker row, waiting for `sandboxes.warm.python >= 1`.'),
  keystroke: row('Keystroke echo round trip, docker session terminal', 'ms', 'raw `docker exec` TTY, same container', { kind: 'report' },
    `A fresh docker session; its terminal WebSocket (\`/api/sessions/:id/terminal\`) and, for the baseline, a \`bash -l\` TTY opened directly with dockerode \`exec\` in the same sandbox container (found through the marker volume's \`dockyard.session.containerId\` label). After the prompt and 0.5 s of quiet, ${KEYSTROKES} single letters are typed on each path, alternating paths; each is timed from send to the first chunk that contains its echo, then erased with DEL (untimed). One unmeasured round trip per path first.`),
  check: row('Check of a python exercise (API, reference solution)', 'ms', '`docker run --rm dockyard/sandbox-python python3 -c pass`', { kind: 'ratio-at-most', max: 1.5 },
    `\`POST /api/exercises/${CHECKED_EXERCISE}/check\` with the reference solution, until the verdict (pass) is read: a fresh python check container, the harness, two checks on the virtual clock, removal. Baseline: a bare \`docker run --rm\` of the same image running \`python3 -c pass\`, through the docker CLI, measured just before. One unmeasured run of each first.`),
  dockerfileCheck: row('Check of a dockerfile exercise (API, reference solution), warm check pool', 'ms', 'the same check on a server without a check pool', { kind: 'ratio-below', below: 1, note: "bench's own" },
    `\`POST /api/exercises/${CHECKED_DOCKERFILE_EXERCISE}/check\` with the reference Dockerfile until the verdict (pass) is read: a docker sandbox, a build of the student's image, a container of it probed on port 8000, removal. Server with \`DOCKYARD_POOL_CHECK=1\`: before each run, untimed, the bench waits for \`sandboxes.warm.check >= 1\` and ${WARM_SETTLE_MS} ms more, so the check starts in a sandbox made in advance with the exercises' base images pulled. Baseline: the same check on the server without a check pool, where each check makes its sandbox and pulls \`python:3.11-slim\` from the mirror. ${DOCKERFILE_RUNS} runs each (one unmeasured first): each takes seconds.`),
  dockerfileTarget: row('Check of a dockerfile exercise, warm check pool (the row above), against its time target', 'ms', BUSYBOX_RUN, { kind: 'absolute-at-most', max: 2000, note: 'issue 13' },
    `The samples of the warm-pool dockerfile row above, held against the 2 s target, with the ratio to baseline A (this run's \`docker run --rm busybox true\`) as the figure to compare between machines.`),
  composeCheck: row('Check of a compose exercise (API, reference solution), warm check pool', 'ms', BUSYBOX_RUN, { kind: 'absolute-at-most', max: 6000, note: 'issue 13' },
    `\`POST /api/exercises/${CHECKED_COMPOSE_EXERCISE}/check\` with the reference Dockerfile and compose.yaml until the verdict (pass) is read: \`docker compose up --build\` (pip installs Flask and redis-py from the course index), the page's counter read twice and from redis, \`down\` and \`up\` again for the named volume. Same server and waits as the warm-pool dockerfile row; ${COMPOSE_RUNS} runs (one unmeasured first). The ratio is to baseline A.`),
  batch: row(`Batch grading throughput, ${BATCH_SIZE} python submissions`, 'per s', `${BATCH_SIZE} bare \`docker run --rm\` of the python image, same concurrency`, { kind: 'ratio-at-least', min: 0.7 },
    `${BATCH_RUNS} rounds, alternating: ${BATCH_SIZE} bare \`docker run --rm dockyard/sandbox-python python3 -c pass\` through the docker CLI, then a grading batch of ${BATCH_SIZE} submissions of \`${CHECKED_EXERCISE}\` (half the reference solution, half the starter) through the grading module, both at concurrency ${availableParallelism()} (the CPU count, grading's default). Figure: submissions per second per batch; higher is better, so the ratio is grading ÷ baseline.`),
  memory: row('Idle docker sandbox memory', 'MiB', 'idle `busybox sleep 600` container', { kind: 'absolute-at-most', max: 100 },
    `A fresh docker session (nothing pulled, no terminal open) and a \`busybox sleep 600\` container started together; ${IDLE_WAIT_MS / 1000} s after the session is ready, ${RUNS} one-shot readings of the stats API for each, alternating, 250 ms apart. Memory = \`usage\` − \`total_inactive_file\` (cgroup v1; \`inactive_file\` on v2), as \`docker stats\` computes it.`),
};

function row(measure: string, unit: Row['unit'], baseline: string, target: Row['target'], how: string): Row {
  return { measure, unit, samples: [], baseline, baselineSamples: [], target, how };
}

/** Runs one measurement; a failure is recorded on its rows instead of stopping the bench. */
async function measure(what: Row[], fn: () => Promise<void>): Promise<void> {
  try {
    cleanup.checkpoint();
    await fn();
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? String(err);
    for (const r of what) r.error ??= message;
    log(`FAILED (${what.map((r) => r.measure).join('; ')}): ${(err as Error).message}`);
  }
}

/** Starts a server with `env`, runs `fn` against it and stops it; a failed start fails `what`. */
async function withServer(env: Record<string, string>, what: Row[], fn: (baseUrl: string) => Promise<void>): Promise<void> {
  let server: RunningServer | undefined;
  let up = false;
  await measure(what, async () => {
    server = await startServer({
      DOCKYARD_SKIP_IMAGES: '1',
      DOCKYARD_SKIP_SITE_BUILD: '1',
      DOCKYARD_MAX_SESSIONS_PER_CLIENT: '50',
      DOCKYARD_MAX_CHECKS_PER_CLIENT: '50',
      ...env,
    });
    cleanup.trackServer(server);
    try {
      const health = await waitForSessionService(server.url, 90_000);
      facts.isolation = health.sandboxes?.isolation ?? 'unknown';
    } catch (err) {
      throw new Error(`${(err as Error).message}; server output:\n${server.output().slice(-2000)}`);
    }
    up = true;
    log(`server up at ${server.url} (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')})`);
  });
  try {
    if (up) await fn(server!.url);
  } finally {
    // Not through measure(): the server must stop even after an interruption.
    if (server) {
      await cleanup.stopServer(server).catch((err: unknown) => {
        for (const r of what) r.error ??= `stopping the server: ${(err as Error).message}`;
        log(`stopping the server failed: ${(err as Error).message}`);
      });
    }
  }
}

function logFigure(name: string, samples: number[], unit: Row['unit']): void {
  log(`${name}: median ${formatValue(median(samples), unit)}, p90 ${formatValue(percentile(samples, 90), unit)} over ${samples.length}`);
}

// A signal stops the measurements at their next checkpoint; the `finally` below then cleans up.
// Should that take too long, the handler cleans up itself.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleanup.stopping) return;
    cleanup.stop(signal);
    log(`${signal}: stopping, then cleaning up`);
    setTimeout(() => void cleanup.releaseAll().finally(() => process.exit(130)), 90_000).unref();
  });
}

const started = performance.now();
const probe = await probeEngine(docker, 5000);
if (!probe.ok) {
  console.error(`The bench needs a running Docker engine at ${engineAddress()}: ${probe.error}`);
  process.exit(1);
}
if (!(await imageStatus(docker)).ready) {
  log('image kit incomplete: building it first (not timed)');
  await ensureImages(docker, { onProgress: (line) => log(`images: ${line}`) });
}
await cleanup.removeLeftovers();
const facts = await machineFacts(docker);
if (RUNS < 20) log(`BENCH_RUNS=${RUNS}: fewer than 20 runs per figure, for trying the bench out only`);

let baselineA: number[] = [];
let failed = false;
try {
  await measure([rows.coldDocker, rows.coldPython, rows.warmDocker, rows.warmPython], async () => {
    log(`baseline A: docker run --rm busybox true × ${RUNS}`);
    baselineA = await dockerRunBaseline(RUNS);
    logFigure('baseline A', baselineA, 'ms');
  });
  for (const r of [rows.coldDocker, rows.coldPython, rows.warmDocker, rows.warmPython]) r.baselineSamples = baselineA;

  await withServer({ DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '0' }, [rows.coldDocker, rows.coldPython, rows.check, rows.memory, rows.keystroke], async (url) => {
    await measure([rows.coldDocker], async () => {
      rows.coldDocker.samples = await coldSessionReady(url, 'docker', RUNS, cleanup);
      logFigure('cold docker session', rows.coldDocker.samples, 'ms');
    });
    await measure([rows.coldPython], async () => {
      rows.coldPython.samples = await coldSessionReady(url, 'python', RUNS, cleanup);
      logFigure('cold python session', rows.coldPython.samples, 'ms');
    });
    await measure([rows.check], async () => {
      rows.check.baselineSamples = await pythonImageBaseline(RUNS);
      rows.check.samples = await checkLatency(url, RUNS);
      logFigure('python image docker run', rows.check.baselineSamples, 'ms');
      logFigure('python exercise check', rows.check.samples, 'ms');
    });
    await measure([rows.dockerfileCheck], async () => {
      rows.dockerfileCheck.baselineSamples = await checkLatency(url, DOCKERFILE_RUNS, { slug: CHECKED_DOCKERFILE_EXERCISE, files: dockerfileSolution });
      logFigure('dockerfile check, no check pool', rows.dockerfileCheck.baselineSamples, 'ms');
    });
    let target: { baseUrl: string; id: string; token: string; containerId: string } | undefined;
    await measure([rows.memory, rows.keystroke], async () => {
      cleanup.checkpoint();
      const baselineId = await startIdleBusybox(docker);
      cleanup.trackContainer(baselineId);
      const session = await createSession(url, 'docker');
      cleanup.trackSession(session);
      const { containerId, instanceId } = await sessionContainer(docker, session.id);
      cleanup.trackInstance(instanceId);
      target = { ...session, containerId };
      await sleep(IDLE_WAIT_MS);
      const bytes = await sampleIdleMemory(docker, { sandbox: containerId, baseline: baselineId }, RUNS);
      rows.memory.samples = bytes.sandbox.map(toMiB);
      rows.memory.baselineSamples = bytes.baseline.map(toMiB);
      logFigure('idle docker sandbox memory', rows.memory.samples, 'MiB');
      logFigure('idle busybox memory', rows.memory.baselineSamples, 'MiB');
      await cleanup.removeContainer(baselineId);
    });
    if (target) {
      await measure([rows.keystroke], async () => {
        const echo = await keystrokeEcho(docker, target!, KEYSTROKES);
        rows.keystroke.samples = echo.dockyard;
        rows.keystroke.baselineSamples = echo.raw;
        logFigure('keystroke echo via Dockyard', echo.dockyard, 'ms');
        logFigure('keystroke echo via raw exec', echo.raw, 'ms');
      });
      await measure([rows.keystroke], () => cleanup.endSession({ ...target!, kind: 'docker' }));
    }
  });

  await measure([rows.batch], async () => {
    log(`batch throughput: ${BATCH_RUNS} rounds of ${BATCH_SIZE} docker runs and ${BATCH_SIZE} graded submissions`);
    const { grading, dockerRun } = await batchThroughput(docker, availableParallelism(), BATCH_RUNS);
    rows.batch.samples = grading;
    rows.batch.baselineSamples = dockerRun;
    logFigure('grading batch', grading, 'per s');
    logFigure('docker run batch', dockerRun, 'per s');
  });

  await withServer({ DOCKYARD_POOL_DOCKER: '1', DOCKYARD_POOL_PYTHON: '1', DOCKYARD_POOL_CHECK: '1' }, [rows.warmDocker, rows.warmPython, rows.dockerfileCheck, rows.dockerfileTarget, rows.composeCheck], async (url) => {
    await measure([rows.warmDocker], async () => {
      rows.warmDocker.samples = await warmSessionReady(url, 'docker', RUNS, cleanup);
      logFigure('warm docker session', rows.warmDocker.samples, 'ms');
    });
    await measure([rows.warmPython], async () => {
      rows.warmPython.samples = await warmSessionReady(url, 'python', RUNS, cleanup);
      logFigure('warm python session', rows.warmPython.samples, 'ms');
    });
    const warmCheckSandbox = async () => {
      await waitForWarm(url, 'check', 1, () => cleanup.checkpoint(), 180_000);
      await sleep(WARM_SETTLE_MS);
    };
    await measure([rows.dockerfileCheck, rows.dockerfileTarget], async () => {
      rows.dockerfileCheck.samples = await checkLatency(url, DOCKERFILE_RUNS, { slug: CHECKED_DOCKERFILE_EXERCISE, files: dockerfileSolution, before: warmCheckSandbox });
      rows.dockerfileTarget.samples = rows.dockerfileCheck.samples;
      rows.dockerfileTarget.baselineSamples = baselineA;
      logFigure('dockerfile check, warm check pool', rows.dockerfileCheck.samples, 'ms');
    });
    await measure([rows.composeCheck], async () => {
      rows.composeCheck.samples = await checkLatency(url, COMPOSE_RUNS, { slug: CHECKED_COMPOSE_EXERCISE, files: composeSolution, before: warmCheckSandbox });
      rows.composeCheck.baselineSamples = baselineA;
      logFigure('compose check, warm check pool', rows.composeCheck.samples, 'ms');
    });
  });
} finally {
  const problems = await cleanup.releaseAll();
  for (const p of problems) log(`cleanup: ${p}`);
  if (problems.length) failed = true;
}

if (cleanup.stopping) {
  log('interrupted: docs/benchmarks.md left as it was');
  process.exit(130);
}
const all = Object.values(rows);
failed ||= all.some((r) => r.error !== undefined);
const durationS = (performance.now() - started) / 1000;
const document = renderDocument(facts, all, { durationS, runs: RUNS, baselineA });
// The load test's and the soak's sections are theirs: keep them.
const previous = await readFile(DOC, 'utf8').catch(() => '');
await writeFile(DOC, carrySections(previous, document));
console.log(`\n${renderTable(all)}\n`);
console.log(`Baseline A (docker run --rm busybox true): median ${formatValue(median(baselineA), 'ms')}, p90 ${formatValue(percentile(baselineA, 90), 'ms')} over ${baselineA.length} runs.`);
console.log(`Engine ${facts.engineVersion}, ${facts.cpus} CPUs, isolation ${facts.isolation}; ${Math.round(durationS)} s. Written to ${DOC}.`);
if (failed) console.error('Some measurements failed to run, or cleanup failed (see above); the figures written are incomplete.');
process.exit(failed ? 1 : 0);
