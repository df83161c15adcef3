/**
 * `npm run loadtest`: a class of students pressing Start at the same moment, on loopback.
 *
 * 60 students (each from a loopback address of their own, as the server tells clients
 * apart by address) ask for a docker sandbox at once, with a few more students than the
 * server admits and one student pressing Start again and again. Every request must end
 * in a sandbox or a clean 429/503 with Retry-After. Then every student opens the
 * terminal and runs a command, and all of them type at once. Reports p50/p95 of the time
 * to ready, to the first command's output and of keystroke echo; writes the
 * `loadtest` section of docs/benchmarks.md. Then, with no server running, measures how many
 * idle sandboxes of each kind the machine holds (bench/capacity.ts; the `capacity` section). Between the
 * two, a class of LOADTEST_CLASS presses Start with and without its start time set (bench/class-start.ts;
 * the `class-start` section).
 * Bounded by LOADTEST_DEADLINE_S.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectEngine, engineAddress, probeEngine } from '../sandbox-server/docker/engine.ts';
import { ensureImages } from '../sandbox-server/images/index.ts';
import { startServer, type RunningServer } from '../tests/support/server.ts';
import { runBounded } from './bounded.ts';
import { upsertSection } from './doc-sections.ts';
import { requestFrom, studentAddress, type Reply } from './http-client.ts';
import { dockyardPort, outputAt, roundTrip, settle, type EchoPort } from './keystroke-echo.ts';
import { CAPACITY_CLIMBS, capacitySection, measureCapacity } from './capacity.ts';
import { measureClassStart } from './class-start.ts';
import { leftBehindBy } from './leftovers.ts';
import { machineFacts } from './machine-facts.ts';
import { median, percentile } from './stats.ts';

const STUDENTS = Number(process.env.LOADTEST_STUDENTS ?? 60);
/** Students beyond the server's capacity: they must get a clean 503. */
const OVERFLOW = Number(process.env.LOADTEST_OVERFLOW ?? 5);
/** Extra presses of Start by the first student: beyond the per-client cap they must get a clean 429. */
const REPEATS = 3;
const KEYSTROKES = Number(process.env.LOADTEST_KEYSTROKES ?? 20);
const DEADLINE_S = Number(process.env.LOADTEST_DEADLINE_S ?? 2400);
/** The class of the class-start section (its start time set, sandboxes pre-warmed, against none); 0 skips it. */
const CLASS = Number(process.env.LOADTEST_CLASS ?? STUDENTS);
/** Ceiling of the capacity climb for docker sandboxes (python: twice as many); 0 skips it. */
const CAPACITY_MAX = Number(process.env.LOADTEST_CAPACITY_MAX ?? 240);
const DOC = resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const log = (line: string) => console.error(`[loadtest] ${line}`);

interface Attempt {
  student: number;
  status: number | 'network error';
  ms: number;
  retryAfter?: string | undefined;
  code?: string | undefined;
  session?: { id: string; token: string };
  error?: string;
}

const started = performance.now();

const docker = connectEngine();
let server: RunningServer | undefined;
const attempts: Attempt[] = [];

/** Ends every session this run created and stops the server; always runs. */
async function finish(): Promise<void> {
  if (!server) return;
  const s = server;
  server = undefined;
  await Promise.all(
    attempts
      .filter((a) => a.session)
      .map((a) =>
        requestFrom(studentAddress(a.student), new URL(`api/sessions/${a.session!.id}`, s.url), {
          method: 'DELETE',
          headers: { authorization: `Bearer ${a.session!.token}` },
        }).catch(() => undefined),
      ),
  );
  await s.stop();
}

async function askForSandbox(baseUrl: string, student: number): Promise<Attempt> {
  const t0 = performance.now();
  let reply: Reply;
  try {
    reply = await requestFrom(studentAddress(student), new URL('api/sessions', baseUrl), { method: 'POST', body: { kind: 'docker' }, timeoutMs: 300_000 });
  } catch (err) {
    return { student, status: 'network error', ms: performance.now() - t0, error: (err as Error).message };
  }
  const ms = performance.now() - t0;
  const retryAfter = reply.headers['retry-after'] as string | undefined;
  let body: { id?: string; token?: string; error?: { code?: string } } = {};
  try {
    body = JSON.parse(reply.text);
  } catch {
    /* judged below */
  }
  const attempt: Attempt = { student, status: reply.status, ms, retryAfter, code: body.error?.code };
  if (reply.status === 201 && body.id && body.token) attempt.session = { id: body.id, token: body.token };
  return attempt;
}

/** Whether an attempt ended as the server promises: a sandbox, or a refusal the client can act on. */
function clean(a: Attempt): boolean {
  if (a.status === 201) return a.session !== undefined;
  if (a.status === 429 || a.status === 503) return a.retryAfter !== undefined && Number(a.retryAfter) > 0 && a.code !== undefined;
  return false;
}

const fmt = (ms: number) => (Number.isFinite(ms) ? (ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`) : '—');
const stats = (xs: number[]) => `p50 ${fmt(median(xs))}, p95 ${fmt(percentile(xs, 95))}, max ${fmt(Math.max(...xs))} (n = ${xs.length})`;

async function main(): Promise<void> {
  const engine = await probeEngine(docker, 5000);
  if (!engine.ok) throw new Error(`the load test needs a Docker engine at ${engineAddress()}: ${engine.error}`);
  await ensureImages(docker, { onProgress: (line) => log(`images: ${line}`) });
  const facts = await machineFacts(docker);

  server = await startServer(
    {
      DOCKYARD_SKIP_IMAGES: '1',
      DOCKYARD_SKIP_SITE_BUILD: '1',
      DOCKYARD_MAX_SESSIONS: String(STUDENTS),
      DOCKYARD_MAX_SESSIONS_PER_CLIENT: '3',
    },
    { sandboxes: true },
  );
  const baseUrl = server.url;
  log(`server at ${baseUrl}; ${STUDENTS} students + ${OVERFLOW} over capacity + ${REPEATS} repeated presses, all at once`);

  // 9:00 sharp: everyone presses Start.
  const who = [...Array.from({ length: STUDENTS + OVERFLOW }, (_, i) => i), ...Array.from({ length: REPEATS }, () => 0)];
  const t0 = performance.now();
  attempts.push(...(await Promise.all(who.map((student) => askForSandbox(baseUrl, student)))));
  const burstS = (performance.now() - t0) / 1000;
  const sessions = attempts.filter((a) => a.session);
  const unclean = attempts.filter((a) => !clean(a));
  const byStatus = new Map<string, number>();
  for (const a of attempts) byStatus.set(String(a.status), (byStatus.get(String(a.status)) ?? 0) + 1);
  log(`burst done in ${burstS.toFixed(1)} s: ${[...byStatus].map(([s, n]) => `${n}× ${s}`).join(', ')}`);

  // Every student with a sandbox opens the terminal and runs a first command.
  const ports: { attempt: Attempt; port: EchoPort }[] = [];
  const toEcho: number[] = [];
  const terminalErrors: string[] = [];
  await Promise.all(
    sessions.map(async (a, i) => {
      try {
        const t = performance.now();
        const port = await dockyardPort(baseUrl, a.session!.id, a.session!.token, studentAddress(a.student));
        await settle(port);
        const from = port.output().length;
        port.write(`echo ready-$((${i} + 1000))\r`);
        await outputAt(port, from, (seen) => seen.includes(`ready-${i + 1000}`), 60_000);
        toEcho.push(performance.now() - t);
        ports.push({ attempt: a, port });
      } catch (err) {
        terminalErrors.push(`student ${a.student}: ${(err as Error).message.split('\n')[0]}`);
      }
    }),
  );
  log(`terminals open: ${ports.length}/${sessions.length}`);

  // Everyone types at once.
  const keys: number[] = [];
  const keyErrors: string[] = [];
  await Promise.all(
    ports.map(async ({ attempt, port }) => {
      try {
        for (let k = 0; k < KEYSTROKES; k++) keys.push(await roundTrip(port, 'abcdefghijklmnopqrstuvwxyz'[k % 26]!));
      } catch (err) {
        keyErrors.push(`student ${attempt.student}: ${(err as Error).message.split('\n')[0]}`);
      }
    }),
  );
  await Promise.all(ports.map(({ port }) => port.close().catch(() => {})));

  const serverPid = server.pid;
  await finish();
  const leftovers = await leftBehindBy(docker, serverPid);

  const ready = sessions.map((a) => a.ms);
  const refused = attempts.filter((a) => a.status === 429 || a.status === 503);
  const errors = [...unclean.map((a) => `student ${a.student}: ${a.status}${a.error ? ` ${a.error}` : ''}${a.code ? ` ${a.code}` : ''}`), ...terminalErrors, ...keyErrors];
  const ok = errors.length === 0 && leftovers.length === 0 && sessions.length === Math.min(STUDENTS, who.length);
  const durationS = (performance.now() - started) / 1000;

  const body = [
    '## Load test: a class pressing Start at once',
    '',
    `Written by \`npm run loadtest\` (\`bench/loadtest.ts\`) on ${facts.date.slice(0, 10)}: ${facts.cpus} CPUs, ${facts.memoryGiB} GiB, engine ${facts.engineVersion}.`,
    `One server (\`DOCKYARD_MAX_SESSIONS=${STUDENTS}\`, 3 per client, default warm pools), ${STUDENTS + OVERFLOW} students`,
    `each on a loopback address of its own plus ${REPEATS} more presses of Start by one of them, ${who.length} requests for a docker sandbox sent together.`,
    '',
    '| Measure | Figure |',
    '| --- | --- |',
    `| Requests | ${who.length}: ${[...byStatus].map(([s, n]) => `${n} × ${s}`).join(', ')} |`,
    `| Every request got a sandbox or a clean 429/503 with Retry-After | ${unclean.length === 0 ? 'yes' : `no, ${unclean.length} did not`} |`,
    `| Refusals | ${refused.length}, all with Retry-After: ${refused.every((a) => a.retryAfter) ? 'yes' : 'no'} (${[...new Set(refused.map((a) => `${a.status} ${a.code}`))].join(', ')}) |`,
    `| Time to ready (POST → 201), ${sessions.length} sessions | ${stats(ready)} |`,
    `| Whole burst answered in | ${burstS.toFixed(1)} s |`,
    `| Time to first command output (open terminal, prompt, \`echo\`) | ${stats(toEcho)} |`,
    `| Keystroke echo, ${ports.length} terminals typing at once | ${stats(keys)} |`,
    `| Errors | ${errors.length === 0 ? 'none' : errors.length} |`,
    `| Objects left behind after the sessions ended and the server stopped | ${leftovers.length === 0 ? 'none' : leftovers.join(', ')} |`,
    '',
    ...(errors.length ? ['Errors:', '', ...errors.slice(0, 20).map((e) => `- ${e}`), ''] : []),
    `Verdict: ${ok ? 'PASS' : 'FAIL'}; the run took ${Math.round(durationS)} s.`,
  ].join('\n');
  console.log(body);
  let doc = upsertSection(await readFile(DOC, 'utf8').catch(() => '# Benchmarks\n'), 'loadtest', body);
  await writeFile(DOC, doc);

  if (CLASS > 0) {
    const classStart = await measureClassStart(docker, CLASS, log);
    console.log(classStart.body);
    doc = upsertSection(doc, 'class-start', classStart.body);
    await writeFile(DOC, doc);
    if (!classStart.ok) process.exitCode = 1;
  }
  if (CAPACITY_MAX > 0) {
    // With the server gone: how many idle sandboxes of each kind this machine holds.
    const found = [];
    for (const [kind, freeze] of CAPACITY_CLIMBS) {
      found.push(await measureCapacity(docker, kind, { max: kind === 'docker' ? CAPACITY_MAX : CAPACITY_MAX * 2, freeze, log }));
    }
    const capacity = capacitySection(found, `Ceiling: ${CAPACITY_MAX} docker sandboxes, ${CAPACITY_MAX * 2} python ones.`);
    console.log(capacity);
    doc = upsertSection(doc, 'capacity', capacity);
    await writeFile(DOC, doc);
  }
  if (!ok) process.exitCode = 1;
}

await runBounded({ deadlineS: DEADLINE_S, main, cleanup: finish, log });
