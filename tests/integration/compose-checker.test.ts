import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_CHECKER, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { sandboxCheckWallMs } from '../../sandbox-server/checkers/sandbox/limits.ts';
import { runSandboxCheck } from '../../sandbox-server/checkers/sandbox/check.ts';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { expectGolden, goldenCases } from '../support/golden.ts';
import { trackedDriver } from '../support/tracked-driver.ts';

const root = resolve(import.meta.dirname, '..', '..');
const exercise = join(root, 'exercises/compose-hit-counter');
const exerciseCheck = readFileSync(join(exercise, 'check.py'), 'utf8');
const starter = (file: string) => readFileSync(join(exercise, 'starter', file), 'utf8');

const { docker, driver, created, ready, settled, expectNoneLeft } = trackedDriver();
const walls: number[] = [];

async function check(files: Record<string, string>, checkProgram = exerciseCheck, wallMs = sandboxCheckWallMs(120)): Promise<Verdict> {
  await ready();
  const verdict = await runSandboxCheck(driver, { files, checkProgram, limits: { wallMs } });
  walls.push(verdict.resources.wall_ms);
  return verdict;
}


describe('compose checker', { timeout: 240_000 }, () => {
  afterAll(async () => {
    const sorted = [...walls].sort((a, b) => a - b);
    console.log(`[compose-checker] wall ms per check: ${walls.join(', ')}; median ${sorted[Math.floor(sorted.length / 2)]}`);
    await expectNoneLeft();
  });

  describe.concurrent('golden (tests/fixtures/compose-checker/*/expected.json)', () => {
    for (const golden of goldenCases('compose-checker')) {
      it(golden.name, async () => {
        const v = await check(golden.files, golden.checkProgram, golden.wallMs);
        if (golden.name === 'broken-yaml') console.log(`[compose-checker] broken YAML: ${v.tests[0]?.message}`);
        expectGolden(v, golden.expected);
      });
    }

    it('starter: the exercise starter fails with hints', async () => {
      const v = await check(Object.fromEntries(['app.py', 'requirements.txt', 'Dockerfile', 'compose.yaml'].map((f) => [f, starter(f)])));
      expect(v.status).toBe('fail');
      expect(v.score).toBeLessThan(v.max_score);
      for (const t of v.tests.filter((t) => t.status !== 'pass')) expect(t.hint).toBeTruthy();
    });
  });

  it('labels check sandboxes and leaves none behind', async () => {
    await settled();
    const leftovers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_CHECKER}=sandbox`] }) });
    expect(leftovers.filter((c) => created.some((id) => c.Labels[LABEL_SANDBOX] === id))).toEqual([]);
  });
});
