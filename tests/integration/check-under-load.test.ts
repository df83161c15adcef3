import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { commandCheckService } from '../../scripts/check-service.ts';

/**
 * The same submission graded 50 times while busy processes saturate every CPU gets the same verdict every time:
 * the clock is virtual and blocking is measured in CPU time, so load changes how long a check takes, never what
 * it says. The submission hands its sleeps to threads and prints, the parts of a run most exposed to timing.
 */

const repo = resolve(import.meta.dirname, '../..');
const exercise = loadExercises(resolve(repo, 'exercises')).exercises.find((e) => e.slug === 'asyncio-no-blocking')!;
const files = { 'main.py': readFileSync(resolve(repo, 'tests/fixtures/exercise-checks/asyncio-no-blocking/to-thread/main.py'), 'utf8') };
const checks = await commandCheckService(connectEngine());
const busy: ChildProcess[] = [];
const RUNS = 50;

beforeAll(() => {
  for (let i = 0; i < cpus().length * 2; i++) {
    busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
});

afterAll(() => {
  for (const child of busy) child.kill('SIGKILL');
});

describe('grading under a saturated CPU', () => {
  it(`gives one submission the same verdict ${RUNS} times`, async () => {
    expect(busy.every((child) => child.exitCode === null && child.pid !== undefined)).toBe(true);
    const verdicts: string[] = [];
    const walls: number[] = [];
    const next = async (): Promise<void> => {
      while (verdicts.length + running < RUNS) {
        running++;
        const v = await checks.check(exercise, files);
        running--;
        walls.push(v.resources.wall_ms);
        verdicts.push(JSON.stringify({ status: v.status, score: v.score, tests: v.tests.map((t) => [t.name, t.status, t.message ?? '']) }));
      }
    };
    let running = 0;
    await Promise.all([next(), next()]);
    const distinct = [...new Set(verdicts)];
    walls.sort((a, b) => a - b);
    console.log(`[check-under-load] ${verdicts.length} checks beside ${busy.length} busy processes: median wall ${walls[walls.length >> 1]} ms, max ${walls.at(-1)} ms`);
    expect(verdicts).toHaveLength(RUNS);
    expect(distinct, distinct.join('\n')).toHaveLength(1);
    expect(JSON.parse(distinct[0]!).status).toBe('pass');
  }, 1_500_000);
});
