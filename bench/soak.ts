/**
 * `npm run soak`: sessions created and destroyed for a long while, through crashes.
 *
 * SOAK_SESSIONS sessions (default 500; two python for one docker) are created and ended
 * by simulated students, a few at a time, while a handful stay live with a file of their
 * own in the sandbox. Along the way the server is killed with SIGKILL and restarted
 * SOAK_KILLS times, and the engine is restarted once (SOAK_ENGINE_RESTART=0 skips it).
 * After each kill every live session must still answer, with its file; at the end no
 * container, volume or network made by any of the run's servers may be left that no live
 * session owns. Writes the `soak` section of docs/benchmarks.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SandboxKind } from '../sandbox-server/docker/driver.ts';
import { connectEngine, engineAddress, probeEngine } from '../sandbox-server/docker/engine.ts';
import { ensureImages } from '../sandbox-server/images/index.ts';
import { startServer, type RunningServer } from '../tests/support/server.ts';
import { runBounded } from './bounded.ts';
import { upsertSection } from './doc-sections.ts';
import { requestFrom, studentAddress } from './http-client.ts';
import { dockyardPort, outputAt, settle } from './keystroke-echo.ts';
import { leftBehindBy, unowned } from './leftovers.ts';
import { machineFacts } from './machine-facts.ts';
import { median, percentile } from './stats.ts';
import { sleep, waitUntil } from './timing.ts';

const TOTAL = Number(process.env.SOAK_SESSIONS ?? 500);
const KILLS = Number(process.env.SOAK_KILLS ?? 4);
const ENGINE_RESTART = process.env.SOAK_ENGINE_RESTART !== '0';
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 4);
/** Sessions kept live at any time (they are what a kill must not lose). */
const LIVE = Number(process.env.SOAK_LIVE ?? 6);
const DEADLINE_S = Number(process.env.SOAK_DEADLINE_S ?? 3600);
const ROOT = resolve(import.meta.dirname, '..');
const DOC = resolve(ROOT, 'docs', 'benchmarks.md');
const log = (line: string) => console.error(`[soak] ${new Date().toISOString().slice(11, 19)} ${line}`);

interface Live {
  id: string;
  token: string;
  kind: SandboxKind;
  student: number;
  /** Written into the sandbox at creation; read back after each fault. */
  secret: string;
}

const docker = connectEngine();
let server: RunningServer | undefined;
const pids: number[] = [];
const live: Live[] = [];
const errors: string[] = [];
const createMs: number[] = [];
const faults: { what: string; at: number; checked: number; usable: number; kept: number; recoveryMs: number }[] = [];
let created = 0;
let ended = 0;
let refusals = 0;
const refusalCodes = new Map<string, number>();


async function start(): Promise<void> {
  server = await startServer(
    { DOCKYARD_SKIP_IMAGES: '1', DOCKYARD_SKIP_SITE_BUILD: '1', DOCKYARD_MAX_SESSIONS: '60', DOCKYARD_MAX_SESSIONS_PER_CLIENT: '3' },
    { sandboxes: true },
  );
  pids.push(server.pid);
}

async function api(student: number, method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  return requestFrom(studentAddress(student), new URL(path, server!.url), {
    method,
    body: opts.body,
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    timeoutMs: 180_000,
  });
}

/** Opens the session's terminal, runs `command` and waits for `expect` (a text, or a test of it) in what it prints; returns that output. */
async function inTerminal(s: Live, command: string, expect: string | ((seen: string) => boolean)): Promise<string> {
  const port = await dockyardPort(server!.url, s.id, s.token, studentAddress(s.student));
  const done = typeof expect === 'string' ? (seen: string) => seen.includes(expect) : expect;
  try {
    await settle(port);
    const from = port.output().length;
    port.write(`${command}\r`);
    await outputAt(port, from, done, 30_000);
    return port.output().slice(from);
  } finally {
    await port.close();
  }
}

/** One student's session: created, sometimes used, then ended or kept live. */
async function oneSession(n: number): Promise<void> {
  const student = n % 200;
  const kind: SandboxKind = n % 3 === 0 ? 'docker' : 'python';
  const t = performance.now();
  const reply = await api(student, 'POST', 'api/sessions', { body: { kind } });
  if (reply.status === 429 || reply.status === 503) {
    refusals += 1;
    const code = (JSON.parse(reply.text) as { error?: { code?: string } }).error?.code ?? 'no code';
    refusalCodes.set(`${reply.status} ${code}`, (refusalCodes.get(`${reply.status} ${code}`) ?? 0) + 1);
    if (!reply.headers['retry-after']) errors.push(`session ${n}: ${reply.status} without Retry-After`);
    return;
  }
  if (reply.status !== 201) {
    errors.push(`session ${n}: POST answered ${reply.status} ${reply.text.slice(0, 200)}`);
    return;
  }
  createMs.push(performance.now() - t);
  created += 1;
  const { id, token } = JSON.parse(reply.text) as { id: string; token: string };
  const s: Live = { id, token, kind, student, secret: `soak-${n}-${id.slice(0, 6)}` };
  try {
    // Every session that may be kept live below (n % 10 fills the live set, n % 25 rotates into it) writes its file.
    if (n % 10 === 0 || n % 25 === 0 || live.length < LIVE) {
      // Used: a file of its own, read back later to prove the sandbox is the same one.
      await inTerminal(s, `echo ${s.secret} > ~/soak.txt && echo wrote-$((${n}+1))`, `wrote-${n + 1}`);
    }
  } catch (err) {
    errors.push(`session ${n}: terminal: ${(err as Error).message.split('\n')[0]}`);
  }
  if (live.length < LIVE && n % 10 === 0) {
    live.push(s);
    return;
  }
  if (live.length >= LIVE && n % 25 === 0) {
    // Rotate: the oldest live session ends, this one takes its place.
    const old = live.shift()!;
    live.push(s);
    await end(old);
    return;
  }
  await end(s);
}

async function end(s: Live): Promise<void> {
  const reply = await api(s.student, 'DELETE', `api/sessions/${s.id}`, { token: s.token });
  if (reply.status !== 204) errors.push(`DELETE ${s.id}: ${reply.status}`);
  else ended += 1;
}

/** After a fault: every live session still answers, and its file is still there. */
async function checkLive(what: string, started: number): Promise<void> {
  let usable = 0;
  let kept = 0;
  for (const s of live) {
    const info = await api(s.student, 'GET', `api/sessions/${s.id}`, { token: s.token }).catch((e: Error) => ({ status: 0, text: e.message }));
    if (info.status !== 200) {
      errors.push(`${what}: live session ${s.id} (${s.kind}) answered ${info.status}`);
      continue;
    }
    try {
      await inTerminal(s, 'echo usable-$((40+2))', 'usable-42');
      usable += 1;
      // A missing file is counted, not an error by itself: a python sandbox's /work is memory, gone when the engine restarts it.
      const seen = await inTerminal(s, 'cat ~/soak.txt 2>/dev/null || echo missing-$((1+1))', (t) => t.includes(s.secret) || t.includes('missing-2'));
      if (seen.includes(s.secret)) kept += 1;
    } catch (err) {
      errors.push(`${what}: live session ${s.id} (${s.kind}) terminal: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  faults.push({ what, at: created, checked: live.length, usable, kept, recoveryMs: performance.now() - started });
  log(`${what}: ${usable}/${live.length} live sessions usable, ${kept} with their file`);
}

async function killServer(): Promise<void> {
  const t = performance.now();
  server!.kill('SIGKILL');
  await server!.stop();
  await start();
  await checkLive(`kill -9 #${faults.filter((f) => f.what.startsWith('kill')).length + 1}`, t);
}

/**
 * The host engine's dockerd: the one in this process's pid namespace (every docker sandbox runs a
 * dockerd of its own, which the host sees too), the pidfile's first.
 */
function hostEngineProcess(): string | undefined {
  const own = readlinkSync('/proc/self/ns/pid');
  let pidfile = '';
  try {
    pidfile = readFileSync('/var/run/docker.pid', 'utf8').trim();
  } catch {
    // No pidfile: look among the running dockerd processes.
  }
  const candidates = [pidfile, ...spawnSync('pgrep', ['-x', 'dockerd'], { encoding: 'utf8' }).stdout.trim().split('\n')].filter(Boolean);
  return candidates.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dockerd' && readlinkSync(`/proc/${pid}/ns/pid`) === own;
    } catch {
      return false;
    }
  });
}

/** Stops the engine (SIGTERM to dockerd) and starts it again with scripts/start-engine.sh. */
async function restartEngine(): Promise<void> {
  const t = performance.now();
  const pid = hostEngineProcess();
  if (!pid || process.env.DOCKER_HOST) throw new Error('cannot restart the engine: no local dockerd process (set SOAK_ENGINE_RESTART=0)');
  log(`restarting the engine (dockerd ${pid})`);
  process.kill(Number(pid), 'SIGTERM');
  await waitUntil(async () => spawnSync('kill', ['-0', pid]).status !== 0, 'dockerd to stop', 120_000, 250);
  execFileSync('bash', [resolve(ROOT, 'scripts/start-engine.sh')], { stdio: 'inherit' });
  const restarted = hostEngineProcess();
  if (!restarted || restarted === pid) throw new Error(`the engine did not restart: dockerd ${restarted ?? '(none)'} after stopping ${pid}`);
  log(`engine back as dockerd ${restarted}`);
  // The service notices by itself; wait until it says the engine answers and sessions run.
  await waitUntil(
    async () => {
      const health = await api(0, 'GET', 'api/health').catch(() => undefined);
      return health?.status === 200;
    },
    'the service to report a healthy engine',
    180_000,
    500,
  );
  await checkLive('engine restart', t);
  // Python sandboxes come back with an empty /work: write the files again, so the next kill is judged on its own.
  for (const s of live) {
    await inTerminal(s, `echo ${s.secret} > ~/soak.txt && echo rewrote-$((1+1))`, 'rewrote-2').catch((err: Error) =>
      errors.push(`after the engine restart: live session ${s.id} (${s.kind}) terminal: ${err.message.split('\n')[0]}`),
    );
  }
}

async function cleanup(): Promise<void> {
  if (!server) return;
  while (live.length > 0) await end(live.pop()!).catch(() => {});
  const s = server;
  server = undefined;
  await s.stop();
}

const fmt = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : '—');

async function main(): Promise<void> {
  const engine = await probeEngine(docker, 5000);
  if (!engine.ok) throw new Error(`the soak needs a Docker engine at ${engineAddress()}: ${engine.error}`);
  await ensureImages(docker, { onProgress: (line) => log(`images: ${line}`) });
  const facts = await machineFacts(docker);
  const t0 = performance.now();
  await start();

  const every = Math.max(1, Math.floor(TOTAL / (KILLS + 1)));
  const killAt = new Set(Array.from({ length: KILLS }, (_, k) => (k + 1) * every));
  const engineAt = ENGINE_RESTART ? Math.floor(TOTAL / 2) + Math.floor(every / 2) : -1;
  for (let n = 0; n < TOTAL; n += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, TOTAL - n) }, (_, i) => n + i);
    await Promise.all(batch.map((i) => oneSession(i).catch((err: Error) => void errors.push(`session ${i}: ${err.message.split('\n')[0]}`))));
    if (batch.some((i) => killAt.has(i))) await killServer();
    if (batch.includes(engineAt)) await restartEngine();
    if (n % 50 < CONCURRENCY) log(`${n + batch.length}/${TOTAL} sessions; ${live.length} live; ${errors.length} errors`);
  }

  const lastPid = server!.pid;
  await cleanup();
  // The last server drained its pools on SIGTERM; killed servers' pools were for their successors to clear.
  await sleep(1000);
  const leaked = await unowned(docker, pids);
  const leftByLast = await leftBehindBy(docker, lastPid);
  const durationS = (performance.now() - t0) / 1000;
  const kills = faults.filter((f) => f.what.startsWith('kill'));
  // Lost: no longer usable, or usable without its file (a kill of the server must keep both).
  const lost = kills.reduce((n, f) => n + (f.checked - Math.min(f.usable, f.kept)), 0);
  const ok = errors.length === 0 && leaked.length === 0 && leftByLast.length === 0 && lost === 0;

  const body = [
    '## Soak and faults: sessions through crashes',
    '',
    `Written by \`npm run soak\` (\`bench/soak.ts\`) on ${facts.date.slice(0, 10)}: ${facts.cpus} CPUs, ${facts.memoryGiB} GiB, engine ${facts.engineVersion}.`,
    `${TOTAL} sessions asked for (two python for one docker), ${CONCURRENCY} at a time, by students on loopback addresses of their own;`,
    `up to ${LIVE} kept live with a file written in their sandbox; the server killed with SIGKILL and restarted ${KILLS} times` +
      (ENGINE_RESTART ? ', and the engine restarted once (SIGTERM to dockerd, then started again).' : '; no engine restart in this run.'),
    '',
    '| Measure | Figure |',
    '| --- | --- |',
    `| Sessions created / ended / refused (429/503 with Retry-After) | ${created} / ${ended} / ${refusals}${refusals ? ` (${[...refusalCodes].map(([c, n]) => `${n} × ${c}`).join(', ')})` : ''} |`,
    `| Time to ready, all sessions | p50 ${fmt(median(createMs))}, p95 ${fmt(percentile(createMs, 95))} |`,
    ...faults.map(
      (f) =>
        `| ${f.what}, after ${f.at} sessions: live sessions usable / with their file | ${f.usable} of ${f.checked} / ${f.kept} of ${f.checked} (back in ${(f.recoveryMs / 1000).toFixed(1)} s) |`,
    ),
    `| Live sessions lost across kill -9 | ${lost} |`,
    `| Objects left that no live session owns (containers, volumes, networks, markers) | ${leaked.length === 0 ? 'none' : leaked.join(', ')} |`,
    `| Errors | ${errors.length === 0 ? 'none' : errors.length} |`,
    '',
    ...(errors.length ? ['Errors:', '', ...errors.slice(0, 20).map((e) => `- ${e}`), ''] : []),
    'A python sandbox keeps /work in memory: a kill of the server keeps it, an engine restart (which restarts the',
    'container) empties it, so after the engine restart only docker sessions still have their file; the soak then',
    'writes every live session\'s file again, so that each later kill is judged on what it alone keeps.',
    '',
    `Verdict: ${ok ? 'PASS' : 'FAIL'}; the run took ${Math.round(durationS)} s.`,
  ].join('\n');
  console.log(body);
  const previous = await readFile(DOC, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(DOC, upsertSection(previous, 'soak', body));
  if (!ok) process.exitCode = 1;
}

await runBounded({ deadlineS: DEADLINE_S, main, cleanup, log });
