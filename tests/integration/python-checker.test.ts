import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL_CHECKER } from '../../sandbox-server/base/names.ts';
import { runPythonCheck } from '../../sandbox-server/checkers/python/check.ts';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { expectGolden, goldenCases } from '../support/golden.ts';

const docker = connectEngine();
const FIX = new URL('../fixtures/python-checker/', import.meta.url).pathname;
const read = (rel: string) => readFileSync(FIX + rel, 'utf8');
const gatherCheck = read('gather/check.py');
const abuseCheck = read('abuse/check.py');
const walls: number[] = [];

/** The fields that must not depend on timing. */
function stable(v: Verdict) {
  return {
    status: v.status,
    error_kind: v.error_kind,
    score: v.score,
    max_score: v.max_score,
    tests: v.tests.map((t) => ({ name: t.name, status: t.status })),
  };
}

/** Labels this file's check containers, so other processes' checks on the same engine are not counted. */
const RUN_LABEL = { 'dockyard.test-run': randomBytes(8).toString('hex') };

async function leftovers(): Promise<number> {
  const filters = { label: [LABEL_CHECKER, `dockyard.test-run=${RUN_LABEL['dockyard.test-run']}`] };
  const list = await docker.listContainers({ all: true, filters });
  return list.length;
}

async function check(files: Record<string, string>, checkProgram = gatherCheck, limits = {}) {
  const v = await runPythonCheck(docker, { files, checkProgram, limits, labels: RUN_LABEL });
  walls.push(v.resources.wall_ms);
  return v;
}

const NAMES = ['fetch_all returns the three results in order', 'fetch_all runs the three downloads concurrently'];

afterEach(async () => {
  expect(await leftovers()).toBe(0);
});

describe('python checker: golden verdicts (tests/fixtures/python-checker/*/expected.json)', () => {
  for (const golden of goldenCases('python-checker')) {
    it(golden.name, async () => {
      expectGolden(await check(golden.files, golden.checkProgram, golden.wallMs ? { wallMs: golden.wallMs } : {}), golden.expected);
    });
  }
});

describe('python checker: the gather exercise', () => {
  it('blocking: a busy synchronous step > 50 ms is caught too', async () => {
    // 200 ms of the process's own CPU time, so a saturated machine does not shorten the step.
    const src = 'import asyncio\nasync def fetch_all():\n    t = __import__("time").process_time()\n' +
      '    while __import__("time").process_time() - t < 0.2: pass\n    return ["a", "b", "c"]\n';
    const v = await check({ 'main.py': src });
    expect(v.tests[0]?.status).toBe('fail');
    expect(v.tests[0]?.message).toMatch(/kept the event loop busy for \d+ ms of CPU time/);
  });

  it('the same submission checked 10 times gives the identical verdict', async () => {
    const files = { 'main.py': read('gather/wrong/main.py') };
    const verdicts = [];
    for (let i = 0; i < 10; i++) verdicts.push(stable(await check(files)));
    for (const v of verdicts) expect(v).toEqual(verdicts[0]);
  });
});

describe('python checker: abuse', () => {
  it('endless loop at import: error/timeout from the import guard', async () => {
    const v = await check({ 'main.py': 'while True:\n    pass\n' }, gatherCheck, { checkSeconds: 2 });
    expect(stable(v)).toMatchObject({ status: 'error', error_kind: 'timeout' });
  });

  it('endless loop inside a check: that check fails with a timeout message', async () => {
    const v = await check({ 'main.py': 'async def fetch_all():\n    while True:\n        pass\n' }, gatherCheck, { checkSeconds: 1 });
    expect(v.status).toBe('fail');
    expect(v.tests[0]?.message).toMatch(/did not finish within 1 s/);
  });

  it('SIGSTOP of the process group: error/timeout, not a hang', async () => {
    const src = 'import os, signal\nos.kill(0, signal.SIGSTOP)\n';
    const v = await check({ 'main.py': src }, gatherCheck, { wallMs: 4000 });
    expect(stable(v)).toMatchObject({ status: 'error', error_kind: 'timeout' });
    expect(v.resources.wall_ms).toBeLessThan(10_000);
  });

  it('fork bomb: error, no hang', async () => {
    const src = 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n';
    const v = await check({ 'main.py': src }, gatherCheck, { wallMs: 5000 });
    expect(v.status).toBe('error');
    expect(['timeout', 'runtime', 'memory']).toContain(v.error_kind);
    expect(v.resources.wall_ms).toBeLessThan(15_000);
  });

  it('10 GB allocation: error/memory', async () => {
    const v = await check({ 'main.py': 'x = b" " * (10 * 1024 ** 3)\n' });
    expect(stable(v)).toMatchObject({ status: 'error', error_kind: 'memory' });
  });

  it('output flood (print and raw fd writes): error/output_limit', async () => {
    for (const src of ['while True:\n    print("x" * 1000)\n', 'import os\nwhile True:\n    os.write(1, b"y" * 4096)\n']) {
      const v = await check({ 'main.py': src });
      expect(stable(v)).toMatchObject({ status: 'error', error_kind: 'output_limit' });
      expect(v.resources.output_truncated).toBe(true);
    }
  });

  it('asyncio.sleep(1e9) finishes instantly in virtual time (and fails the timing check)', async () => {
    const src = 'import asyncio\nasync def fetch_all():\n    await asyncio.sleep(1e9)\n    return ["a", "b", "c"]\n';
    const v = await check({ 'main.py': src });
    expect(stable(v)).toMatchObject({ status: 'fail', score: 1, max_score: 2 });
    expect(v.tests[1]?.message).toBe('took 1000000000.0 virtual seconds, expected 1.0');
    // Not a timing target: a real sleep would have run into the check timeout instead of finishing.
    expect(v.resources.wall_ms).toBeLessThan(30_000);
  });

  it('sys.exit(0) at import: error/runtime, never pass', async () => {
    const v = await check({ 'main.py': 'import sys\nsys.exit(0)\n' });
    expect(stable(v)).toMatchObject({ status: 'error', error_kind: 'runtime' });
    expect(v.message).toMatch(/sys\.exit\(0\)/);
  });

  it('os._exit(0) at import: error, never pass', async () => {
    const v = await check({ 'main.py': 'import os\nos._exit(0)\n' });
    expect(v.status).toBe('error');
  });

  it('forged results, a shadow harness and symlinks do not change the verdict', async () => {
    const v = await check({
      'main.py': read('abuse/forger.py') + read('gather/wrong/main.py'),
      'dockyard_check/__init__.py': 'raise SystemExit("shadowed")\n',
      'check.py': 'print("not the real check")\n',
    });
    expect(stable(v)).toEqual({
      status: 'fail', error_kind: undefined, score: 1, max_score: 2,
      tests: [{ name: NAMES[0], status: 'pass' }, { name: NAMES[1], status: 'fail' }],
    });
  });

  it('the environment has only PATH, HOME and LANG', async () => {
    const v = await check({ 'main.py': 'import os\nprint(dict(os.environ))\nKEYS = sorted(os.environ)\n' }, abuseCheck);
    expect(v.tests[0]).toMatchObject({ name: 'environment keys', status: 'fail', message: "['HOME', 'LANG', 'PATH']" });
  });

  it('unsafe file names are rejected before any container is created', async () => {
    for (const name of ['../evil.py', '/etc/passwd', 'a/../../b.py', 'nul\0.py']) {
      const v = await check({ [name]: 'x = 1\n' });
      expect(v.status).toBe('error');
      expect(v.message).toMatch(/^Submission rejected/);
      expect(v.resources.wall_ms).toBe(0);
    }
  });
});

describe('python checker: timings', () => {
  it('reports the median check wall time', () => {
    const sorted = [...walls].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(`[python-checker] ${walls.length} runs, median wall ${median} ms, max ${sorted.at(-1)} ms`);
    expect(median).toBeGreaterThan(0);
  });
});
