import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_CHECKER, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { runSandboxCheck } from '../../sandbox-server/checkers/sandbox/check.ts';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { expectGolden, goldenCases } from '../support/golden.ts';
import { trackedDriver } from '../support/tracked-driver.ts';

const root = resolve(import.meta.dirname, '..', '..');
const fixtures = join(root, 'tests/fixtures/dockerfile-checker');
const exercise = join(root, 'exercises/dockerfile-python-app');
const exerciseCheck = readFileSync(join(exercise, 'check.py'), 'utf8');
const buildCheck = readFileSync(join(fixtures, 'build-check.py'), 'utf8');
const app = readFileSync(join(exercise, 'starter/app.py'), 'utf8');
const dockerfile = (name: string) => readFileSync(join(fixtures, name, 'Dockerfile'), 'utf8');

const { docker, driver, created, ready, settled, expectNoneLeft } = trackedDriver();
const walls: number[] = [];

async function check(files: Record<string, string>, program: string, wallMs?: number): Promise<Verdict> {
  await ready();
  const verdict = await runSandboxCheck(driver, { files, checkProgram: program, ...(wallMs ? { limits: { wallMs } } : {}) });
  walls.push(verdict.resources.wall_ms);
  return verdict;
}

const stable = (v: Verdict) => ({ status: v.status, error_kind: v.error_kind, score: v.score, max_score: v.max_score, tests: v.tests.map((t) => [t.name, t.status]) });

describe('dockerfile checker', { timeout: 180_000 }, () => {
  afterAll(async () => {
    const sorted = [...walls].sort((a, b) => a - b);
    console.log(`[dockerfile-checker] wall ms per check: ${walls.join(', ')}; median ${sorted[Math.floor(sorted.length / 2)]}`);
    await expectNoneLeft();
  });

  it('rejects bad file names before any sandbox exists', async () => {
    const v = await runSandboxCheck(driver, { files: { '../Dockerfile': 'FROM busybox' }, checkProgram: buildCheck });
    expect(v).toMatchObject({ status: 'error', error_kind: 'runtime', resources: { wall_ms: 0 } });
    expect(v.message).toMatch(/^Submission rejected/);
  });

  describe.concurrent('golden (tests/fixtures/dockerfile-checker/*/expected.json)', () => {
    for (const golden of goldenCases('dockerfile-checker')) {
      it(golden.name, async () => {
        expectGolden(await check(golden.files, golden.checkProgram, golden.wallMs), golden.expected);
      });
    }

    it('starter: the exercise starter fails with hints', async () => {
      const starter = readFileSync(join(exercise, 'starter/Dockerfile'), 'utf8');
      const v = await check({ Dockerfile: starter, 'app.py': app }, exerciseCheck);
      expect(v.status).toBe('fail');
      expect(v.score).toBeLessThan(v.max_score);
      for (const t of v.tests.filter((t) => t.status !== 'pass')) expect(t.hint).toBeTruthy();
    });
  });

  describe.concurrent('abuse', () => {
    it('a RUN that tries the network cannot reach it and fails clearly within the limit', async () => {
      const started = Date.now();
      const v = await check({ Dockerfile: dockerfile('network') }, buildCheck, 60_000);
      expect(stable(v)).toMatchObject({ status: 'fail', score: 0, max_score: 2 });
      expect(v.tests[0]?.message).toMatch(/wget: bad address 'example.com'|wget: can't connect|timed out/);
      expect(Date.now() - started).toBeLessThan(90_000);
    });

    it('an endless RUN loop ends as a timeout verdict before the wall limit, keeping the build log', async () => {
      const started = Date.now();
      const v = await check({ Dockerfile: dockerfile('endless') }, buildCheck, 30_000);
      expect(stable(v)).toEqual({ status: 'error', error_kind: 'timeout', score: 0, max_score: 2, tests: [['The Dockerfile builds', 'fail'], ['The image runs', 'fail']] });
      expect(v.message).toMatch(/^The build did not finish within \d+ s/);
      expect(v.tests[0]?.message).toMatch(/RUN while true[\s\S]*did not finish within/);
      expect(Date.now() - started).toBeLessThan(30_000 + 30_000);
    });

    it('RUN apt-get cannot reach the archive: the build fails (or times out) and the log shows why, never a pass', async () => {
      const started = Date.now();
      const v = await check({ Dockerfile: dockerfile('apt-update') }, buildCheck, 40_000);
      console.log(`[dockerfile-checker] apt-get verdict: ${v.status} ${v.error_kind ?? ''}\n${v.tests[0]?.message}`);
      expect(v.status).not.toBe('pass');
      expect(v.score).toBe(0);
      if (v.status === 'error') expect(v.error_kind).toBe('timeout');
      else expect(v.tests[0]?.message).toMatch(/Unable to locate package curl|Temporary failure resolving|Failed to fetch/);
      expect(v.tests[0]?.message).toMatch(/apt-get/);
      expect(Date.now() - started).toBeLessThan(40_000 + 30_000);
    });
  });

  it("runs a check's cleanup before the next docker command, and never waits for the last one", async () => {
    const v = await check({ Dockerfile: 'FROM busybox\n' }, readFileSync(join(fixtures, 'cleanup-check.py'), 'utf8'));
    expect(stable(v)).toMatchObject({ status: 'pass', score: 3, max_score: 3 });
    // The first cleanup ran inside the second check's docker command; the last one never ran (the sandbox goes).
    expect(v.resources.phases_ms).not.toHaveProperty('cleanup');
  });

  it('labels check sandboxes and leaves none behind', async () => {
    await settled();
    const leftovers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_CHECKER}=sandbox`] }) });
    expect(leftovers.filter((c) => created.some((id) => c.Labels[LABEL_SANDBOX] === id))).toEqual([]);
  });
});
