import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_CHECKER, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { sandboxCheckWallMs } from '../../sandbox-server/checkers/sandbox/limits.ts';
import { runSandboxCheck } from '../../sandbox-server/checkers/sandbox/check.ts';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { trackedDriver } from '../support/tracked-driver.ts';

const root = resolve(import.meta.dirname, '..', '..');
const fixtures = join(root, 'tests/fixtures/compose-checker');
const exercise = join(root, 'exercises/compose-hit-counter');
const exerciseCheck = readFileSync(join(exercise, 'check.py'), 'utf8');
const readOnly = { 'app.py': readFileSync(join(exercise, 'starter/app.py'), 'utf8'), Dockerfile: readFileSync(join(exercise, 'starter/Dockerfile'), 'utf8') };
const composeFile = (name: string) => readFileSync(join(fixtures, name, 'compose.yaml'), 'utf8');

const { docker, driver, created, ready, expectNoneLeft } = trackedDriver();
const walls: number[] = [];

async function check(compose: string): Promise<Verdict> {
  await ready();
  const files = { ...readOnly, 'compose.yaml': compose };
  const verdict = await runSandboxCheck(driver, { files, checkProgram: exerciseCheck, limits: { wallMs: sandboxCheckWallMs(120) } });
  walls.push(verdict.resources.wall_ms);
  return verdict;
}

const stable = (v: Verdict) => ({ status: v.status, error_kind: v.error_kind, score: v.score, max_score: v.max_score, tests: v.tests.map((t) => [t.name, t.status]) });
const names = [
  'docker-compose up starts the project',
  'The web service answers on port 8000',
  'The counter goes up with every visit',
  'The count survives docker-compose down and up',
];

describe('compose checker', { timeout: 240_000 }, () => {
  afterAll(async () => {
    const sorted = [...walls].sort((a, b) => a - b);
    console.log(`[compose-checker] wall ms per check: ${walls.join(', ')}; median ${sorted[Math.floor(sorted.length / 2)]}`);
    await expectNoneLeft();
  });

  describe.concurrent('golden', () => {
    it('right: the reference compose.yaml passes every check', async () => {
      const v = await check(composeFile('right'));
      expect(stable(v)).toEqual({ status: 'pass', error_kind: undefined, score: 4, max_score: 4, tests: names.map((n) => [n, 'pass']) });
    });

    it('wrong: without a named volume the count resets after down and up; only that check fails, with its hint', async () => {
      const v = await check(composeFile('wrong-no-volume'));
      expect(stable(v)).toEqual({ status: 'fail', error_kind: undefined, score: 3, max_score: 4, tests: names.map((n, i) => [n, i === 3 ? 'fail' : 'pass']) });
      expect(v.tests[3]).toMatchObject({ message: expect.stringMatching(/the count went from \d+ to 1 after down and up/), hint: expect.stringMatching(/named volume/) });
    });

    it('broken: invalid YAML fails the up check with compose\'s message, and skips the rest', async () => {
      const v = await check(composeFile('broken-yaml'));
      expect(stable(v)).toEqual({ status: 'fail', error_kind: undefined, score: 0, max_score: 4, tests: names.map((n) => [n, 'fail']) });
      expect(v.tests[0]?.message).toMatch(/docker-compose up failed:[\s\S]*(yaml|scanning|while)/i);
      expect(v.tests[1]?.message).toMatch(/Skipped: docker-compose up did not succeed/);
      console.log(`[compose-checker] broken YAML: ${v.tests[0]?.message}`);
    });

    it('starter: the exercise starter fails with hints', async () => {
      const v = await check(readFileSync(join(exercise, 'starter/compose.yaml'), 'utf8'));
      expect(v.status).toBe('fail');
      expect(v.score).toBeLessThan(v.max_score);
      for (const t of v.tests.filter((t) => t.status !== 'pass')) expect(t.hint).toBeTruthy();
    });
  });

  it('labels check sandboxes and leaves none behind', async () => {
    const leftovers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_CHECKER}=sandbox`] }) });
    expect(leftovers.filter((c) => created.some((id) => c.Labels[LABEL_SANDBOX] === id))).toEqual([]);
  });
});
