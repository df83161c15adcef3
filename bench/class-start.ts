/**
 * The class-start part of `npm run loadtest`: a class of N students pressing Start at once, first with no
 * start time set (the default warm pool only), then with the class's start time set so the server has made
 * one docker sandbox per student beforehand. Reports time to ready p50/p95 of both bursts and their ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';
import { startServer, type RunningServer } from '../tests/support/server.ts';
import { requestFrom, studentAddress } from './http-client.ts';
import { leftBehindBy } from './leftovers.ts';
import { median, percentile } from './stats.ts';

const ADMIN = 'admin-token-of-the-class-start-bench';
/** The server's own docker pool, as by default. */
const BASE_POOL = 2;
const fmt = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : '—');

/** One JSON request as a browser on the server's page (its Origin, a session cookie). */
async function call(server: RunningServer, cookie: { value?: string }, method: string, path: string, body?: unknown, auth?: string) {
  const headers: Record<string, string> = { origin: new URL(server.url).origin };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie.value) headers.cookie = cookie.value;
  if (auth) headers.authorization = auth;
  const res = await fetch(new URL(path.slice(1), server.url), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const set = /dockyard_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (set) cookie.value = `dockyard_session=${set}`;
  const json = res.status === 204 ? undefined : await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as any;
}

async function warmDocker(server: RunningServer): Promise<number> {
  const health = (await (await fetch(new URL('api/health', server.url))).json()) as { sandboxes?: { warm: { docker: number } } };
  return health.sandboxes?.warm.docker ?? 0;
}

async function until(what: string, probe: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(ms / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** N students each asking for a docker sandbox at once, each from an address of their own; ends the sessions after. */
async function burst(server: RunningServer, students: number): Promise<{ ready: number[]; failed: number }> {
  const replies = await Promise.all(
    Array.from({ length: students }, async (_, i) => {
      const t0 = performance.now();
      const reply = await requestFrom(studentAddress(i), new URL('api/sessions', server.url), { method: 'POST', body: { kind: 'docker' }, timeoutMs: 300_000 }).catch(() => undefined);
      return { i, ms: performance.now() - t0, reply };
    }),
  );
  const made = replies.filter((r) => r.reply?.status === 201).map((r) => ({ ...r, session: JSON.parse(r.reply!.text) as { id: string; token: string } }));
  await Promise.all(
    made.map((r) =>
      requestFrom(studentAddress(r.i), new URL(`api/sessions/${r.session.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${r.session.token}` } }).catch(
        () => undefined,
      ),
    ),
  );
  return { ready: made.map((r) => r.ms), failed: students - made.length };
}

/** Runs both bursts on one server; returns the `class-start` section of docs/benchmarks.md and whether it passed. */
export async function measureClassStart(docker: Docker, students: number, log: (line: string) => void): Promise<{ body: string; ok: boolean }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dockyard-class-start-'));
  const server = await startServer(
    {
      DOCKYARD_DATA_DIR: dataDir,
      DOCKYARD_SKIP_IMAGES: '1',
      DOCKYARD_SKIP_SITE_BUILD: '1',
      DOCKYARD_ADMIN_TOKEN: ADMIN,
      DOCKYARD_POOL_DOCKER: String(BASE_POOL),
      DOCKYARD_MAX_SESSIONS: String(students),
      DOCKYARD_HEARTBEAT_SECONDS: '2',
      DOCKYARD_CLASS_PREWARM_MINUTES: '60',
      DOCKYARD_CLASS_PREWARM_MAX: String(students),
    },
    { sandboxes: true },
  );
  try {
    const grace: { value?: string } = {};
    const made = await call(server, {}, 'POST', '/api/admin/instructors', { email: 'bench@example.org', name: 'Grace' }, `Bearer ${ADMIN}`);
    await call(server, grace, 'POST', '/api/auth/sign-in', { token: new URL(made.signInUrl).searchParams.get('token') });
    const cls = await call(server, grace, 'POST', '/api/classes', { name: 'Class start bench' });
    const code = new URL(cls.joinUrl).pathname.split('/').pop()!;
    for (let i = 0; i < students; i++) await call(server, {}, 'POST', `/api/join/${code}`, { displayName: `Student ${i}` });
    const base = BASE_POOL;
    await until('the default pool filled', async () => (await warmDocker(server)) >= base, 5 * 60_000);

    log(`class start: ${students} students, no start time set (warm pool of ${base})`);
    const cold = await burst(server, students);
    await until('the default pool refilled', async () => (await warmDocker(server)) >= base, students * 60_000);

    await call(server, grace, 'PUT', `/api/classes/${cls.id}/start`, { startsAt: new Date(Date.now() + 30 * 60_000).toISOString() });
    const filling = performance.now();
    await until(`${students} pre-warmed sandboxes`, async () => (await warmDocker(server)) >= base + students, students * 60_000);
    const fillS = (performance.now() - filling) / 1000;
    log(`class start: ${students} sandboxes pre-warmed in ${fillS.toFixed(0)} s; the class presses Start`);
    const warm = await burst(server, students);
    await call(server, grace, 'PUT', `/api/classes/${cls.id}/start`, { startsAt: null });
    await until('the pool back to its configured size', async () => (await warmDocker(server)) <= base, 120_000);

    const pid = server.pid;
    await server.stop();
    const leftovers = await leftBehindBy(docker, pid);
    const p95 = (xs: number[]) => percentile(xs, 95);
    const ok = cold.failed === 0 && warm.failed === 0 && leftovers.length === 0 && p95(warm.ready) <= 2000;
    const body = [
      '## Load test: a class that starts at once',
      '',
      `Written by \`npm run loadtest\` (\`bench/class-start.ts\`): a class of ${students} on one server (default warm pool of ${base}), each`,
      'student on a loopback address of their own asking for a docker sandbox at once; first with no start time, then with',
      `the class's start time set (\`PUT /api/classes/:id/start\`), once the server had pre-warmed one sandbox per student (in ${fillS.toFixed(0)} s).`,
      '',
      '| Burst | Time to ready p50 | p95 | max | failed |',
      '| --- | --- | --- | --- | --- |',
      `| No start time | ${fmt(median(cold.ready))} | ${fmt(p95(cold.ready))} | ${fmt(Math.max(...cold.ready))} | ${cold.failed} |`,
      `| Start time set, pre-warmed | ${fmt(median(warm.ready))} | ${fmt(p95(warm.ready))} | ${fmt(Math.max(...warm.ready))} | ${warm.failed} |`,
      `| Ratio (no start time ÷ pre-warmed) | ${(median(cold.ready) / median(warm.ready)).toFixed(1)}× | ${(p95(cold.ready) / p95(warm.ready)).toFixed(1)}× | | |`,
      '',
      `Objects left behind: ${leftovers.length === 0 ? 'none' : leftovers.join(', ')}. Verdict (pre-warmed p95 ≤ 2 s, none failed, none left): ${ok ? 'PASS' : 'FAIL'}.`,
    ].join('\n');
    return { body, ok };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
