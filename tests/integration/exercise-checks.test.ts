import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { commandCheckService } from '../../scripts/check-service.ts';
import { expectExerciseVerdict, type ExpectedExerciseVerdict } from '../support/exercise-verdict.ts';

/**
 * Golden submissions for the exercises' check programs (tests/fixtures/exercise-checks/<slug>/<case>/):
 * each case is graded as batch grading does and must get the verdict in its expected.json.
 */

const root = resolve(import.meta.dirname, '../fixtures/exercise-checks');
const exercises = new Map(loadExercises(resolve(import.meta.dirname, '../../exercises')).exercises.map((e) => [e.slug, e]));
const checks = await commandCheckService(connectEngine());

const dirs = (dir: string) => readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort();

function readFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name !== 'expected.json')
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

const cases = dirs(root).flatMap((slug) => dirs(join(root, slug)).map((name) => ({ slug, name, dir: join(root, slug, name) })));

// A check's sandbox is removed after its verdict: wait for the last removals before the run ends.
afterAll(() => checks.settle(), 120_000);

describe('exercise check programs on golden submissions', () => {
  it('has cases, each for an exercise that exists, each with an expected verdict', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(exercises.has(c.slug), `${relative(root, c.dir)}: no exercise ${c.slug}`).toBe(true);
      expect(existsSync(join(c.dir, 'expected.json')), `${relative(root, c.dir)}: no expected.json`).toBe(true);
    }
  });

  it.concurrent.each(cases.map((c) => [`${c.slug}/${c.name}`, c] as const))('%s', async (_label, c) => {
    const exercise = exercises.get(c.slug)!;
    const expected = JSON.parse(readFileSync(join(c.dir, 'expected.json'), 'utf8')) as ExpectedExerciseVerdict;
    expectExerciseVerdict(await checks.check(exercise, readFiles(c.dir)), expected, `${c.slug}/${c.name}`);
  }, 240_000);
});
