import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_CHECKER } from '../../sandbox-server/base/names.ts';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { CheckService } from '../../sandbox-server/checkers/service.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { loadExercises, type Exercise } from '../../sandbox-server/exercises/load.ts';
import { gradeBatch, type Submission } from '../../sandbox-server/grading/grade-batch.ts';
import { parseXml } from '../support/xml-wellformed.ts';
import { handleError } from '../../sandbox-server/http/errors.ts';
import { gradingRoutes } from '../../sandbox-server/http/grading.ts';

const repo = resolve(import.meta.dirname, '../..');
const fixtures = join(repo, 'tests/fixtures/grading/asyncio-gather');
const docker = connectEngine();
const checks = new CheckService(new SandboxDriver(docker));
const exercises = new Map(loadExercises(join(repo, 'exercises')).exercises.map((e) => [e.slug, e] as const));
const exercise = exercises.get('asyncio-gather') as Exercise;
const right = exercise.solution;
const wrong = exercise.starter;
const run = promisify(execFile);

/** Splits RFC 4180 CSV written by the gradebook (no embedded newlines in these rows). */
const csvRows = (text: string) => text.trimEnd().split('\r\n').map((l) => l.split(','));
/** What must not vary between runs of the same submission. */
const stable = (v: Verdict) => ({
  status: v.status,
  error_kind: v.error_kind,
  message: v.message,
  score: v.score,
  max_score: v.max_score,
  tests: v.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, hint: t.hint })),
});

describe('npm run grade (CLI)', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'gradebook-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('grades right, wrong, broken and evil submissions and writes a consistent gradebook', async () => {
    const { stdout } = await run(process.execPath, ['scripts/grade.ts', 'asyncio-gather', fixtures, '--out', out, '--concurrency', '3'], { cwd: repo });
    expect(stdout).toMatch(/^\[\d\/4\] right: pass 2\/2 \(\d+\.\d s\)$/m);
    expect(stdout).toMatch(/^\[\d\/4\] evil: error \(runtime\) 0\/2 Submission rejected: too many files/m);
    expect(readdirSync(out).sort()).toEqual(['broken.json', 'evil.json', 'gradebook.csv', 'gradebook.json', 'junit.xml', 'right.json', 'wrong.json']);

    const rows = csvRows(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    expect(rows[0]).toEqual(['student', 'exercise', 'score', 'max_score', 'status', 'graded_at', 'graded']);
    const table = rows.slice(1).map(([student, ex, score, max, status, at, graded]) => ({ student, ex, score, max, status, graded, at: !!at }));
    expect(table).toEqual([
      { student: 'broken', ex: 'asyncio-gather', score: '0', max: '2', status: 'error', graded: 'true', at: true },
      { student: 'evil', ex: 'asyncio-gather', score: '0', max: '2', status: 'error', graded: 'true', at: true },
      { student: 'right', ex: 'asyncio-gather', score: '2', max: '2', status: 'pass', graded: 'true', at: true },
      { student: 'wrong', ex: 'asyncio-gather', score: '1', max: '2', status: 'fail', graded: 'true', at: true },
    ]);
    const broken = JSON.parse(readFileSync(join(out, 'broken.json'), 'utf8')) as Verdict;
    expect(broken).toMatchObject({ status: 'error', error_kind: 'syntax' });

    const book = JSON.parse(readFileSync(join(out, 'gradebook.json'), 'utf8'));
    expect(book).toMatchObject({ exercise: 'asyncio-gather', complete: true });
    expect(Object.keys(book.verdicts)).toEqual(['broken', 'evil', 'right', 'wrong']);

    const junit = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(junit.children.map((s) => s.attrs.name)).toEqual(['broken', 'evil', 'right', 'wrong']);
    expect(junit.attrs).toMatchObject({ tests: '6', failures: '1', errors: '2' });
    const cases = junit.children.flatMap((s) => s.children);
    expect(cases).toHaveLength(6);
    for (const suite of junit.children) expect(Number(suite.attrs.tests)).toBe(suite.children.length);
    const failure = cases.find((c) => c.children[0]?.name === 'failure');
    expect(failure?.children[0]?.attrs.message).toContain('took 3 virtual seconds');
  });

  it('exits 2 with usage for bad arguments, before touching the engine', async () => {
    const bad = run(process.execPath, ['scripts/grade.ts', 'asyncio-gather', fixtures], { cwd: repo });
    await expect(bad).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
    const unknown = run(process.execPath, ['scripts/grade.ts', 'nope', fixtures, '--out', out], { cwd: repo });
    await expect(unknown).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no exercise named nope') });
  });
});

describe('POST /api/grading/:slug', () => {
  const token = 'test-grader-token-0123456789abcdef';
  const appWith = (t: string | undefined) => {
    const app = new Hono();
    app.onError(handleError);
    app.route('/api/grading', gradingRoutes(exercises, checks, { token: t, concurrency: 2 }));
    return app;
  };
  const app = appWith(token);
  const post = (path: string, body: unknown, auth: string | null = `Bearer ${token}`, target = app) =>
    target.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const body = { submissions: { right: right, wrong: wrong, escape: { '../x.py': 'x' }, numbers: { 'main.py': 42 } } };

  it('is off without a token, and refuses missing or wrong tokens', async () => {
    const off = await post('/api/grading/asyncio-gather', body, `Bearer ${token}`, appWith(undefined));
    expect(off.status).toBe(503);
    expect(await off.json()).toMatchObject({ error: { code: 'grading_disabled', message: expect.stringContaining('DOCKYARD_GRADER_TOKEN') } });
    for (const auth of [null, '', 'Bearer nope', `Basic ${token}`, `Bearer ${token}x`]) {
      const res = await post('/api/grading/asyncio-gather', body, auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('answers 400 for malformed bodies and 404 for unknown exercises, running nothing', async () => {
    const before = (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL_CHECKER] }) })).length;
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s${i}`, { 'main.py': '' }]));
    for (const bad of ['{not json', {}, { submissions: [] }, { submissions: {} }, { submissions: { a: 'main.py' } }, { submissions: many }, { submissions: { 'a\nb': {} } }, { ...body, extra: 1 }]) {
      const res = await post('/api/grading/asyncio-gather', bad);
      expect(res.status, JSON.stringify(bad).slice(0, 50)).toBe(400);
    }
    expect((await post('/api/grading/asyncio-gather?format=pdf', body)).status).toBe(400);
    expect((await post('/api/grading/no-such-exercise', body)).status).toBe(404);
    const after = (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL_CHECKER] }) })).length;
    expect(after).toBe(before);
  });

  it('grades a batch, giving invalid submissions their own error verdicts', async () => {
    const res = await post('/api/grading/asyncio-gather', body);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { complete: boolean; rows: Array<Record<string, unknown>>; verdicts: Record<string, Verdict> };
    expect(json.complete).toBe(true);
    expect(json.rows.map((r) => [r.student, r.status, r.score, r.max_score, r.graded])).toEqual([
      ['escape', 'error', 0, 2, true],
      ['numbers', 'error', 0, 2, true],
      ['right', 'pass', 2, 2, true],
      ['wrong', 'fail', 1, 2, true],
    ]);
    expect(json.verdicts.escape!.message).toContain('".." is not allowed');
    expect(json.verdicts.numbers!.message).toContain('content must be text');
  });

  it('answers CSV and JUnit with their content types', async () => {
    const small = { submissions: { 'o"brien, pat': right, bob: wrong } };
    const csv = await post('/api/grading/asyncio-gather?format=csv', small);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[1]).toMatch(/^bob,asyncio-gather,1,2,fail,/);
    expect(text.split('\r\n')[2]).toMatch(/^"o""brien, pat",asyncio-gather,2,2,pass,/);
    const junit = await post('/api/grading/asyncio-gather?format=junit', small);
    expect(junit.headers.get('content-type')).toMatch(/^application\/xml/);
    const root = parseXml(await junit.text());
    expect(root.children.map((s) => s.attrs.name)).toEqual(['bob', 'o"brien, pat']);
    expect(root.attrs).toMatchObject({ tests: '4', failures: '1', errors: '0' });
  });
});

describe('determinism under CPU saturation', () => {
  const spinners: ChildProcess[] = [];
  beforeAll(() => {
    for (let i = 0; i < availableParallelism(); i++) spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  });
  afterAll(() => {
    for (const child of spinners) child.kill('SIGKILL');
  });

  it('gives identical verdicts to 50 right and 50 wrong copies while every core is busy', { timeout: 300_000 }, async () => {
    const submissions: Submission[] = [];
    for (let i = 0; i < 50; i++) {
      const n = String(i).padStart(2, '0');
      submissions.push({ student: `right-${n}`, files: right }, { student: `wrong-${n}`, files: wrong });
    }
    const started = Date.now();
    const results = await gradeBatch(submissions, (files) => checks.check(exercise, files), { concurrency: 4 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`[grading] 100 checks at concurrency 4 with ${spinners.length} busy cores took ${seconds.toFixed(1)} s`);
    expect(spinners.every((c) => c.exitCode === null)).toBe(true);
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.graded)).toBe(true);
    for (const prefix of ['right', 'wrong']) {
      const group = results.filter((r) => r.student.startsWith(prefix)).map((r) => stable(r.verdict));
      const first = group[0]!;
      expect(first.status).toBe(prefix === 'right' ? 'pass' : 'fail');
      group.forEach((v, i) => expect(v, `${prefix} #${i}`).toEqual(first));
    }
  });
});
