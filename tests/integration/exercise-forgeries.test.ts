import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { commandCheckService } from '../../scripts/check-service.ts';
import { expectExerciseVerdict, type ExpectedExerciseVerdict } from '../support/exercise-verdict.ts';

/**
 * Forging submissions (tests/fixtures/exercise-forgeries/<attack>/): each attack's `attack.py` is appended to every
 * python exercise's starter and graded as batch grading does; `expected.json` holds the verdict per exercise, never a
 * pass. The attacks are described in docs/security.md.
 */

const root = resolve(import.meta.dirname, '../fixtures/exercise-forgeries');
const exercisesDir = resolve(import.meta.dirname, '../../exercises');
const python = loadExercises(exercisesDir).exercises.filter((e) => e.frontmatter.kind === 'python');
const checks = await commandCheckService(connectEngine());
const attacks = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort();

const cases = attacks.flatMap((attack) => {
  const expected = JSON.parse(readFileSync(join(root, attack, 'expected.json'), 'utf8')) as Record<string, ExpectedExerciseVerdict>;
  return python.map((exercise) => ({ attack, exercise, expected: expected[exercise.slug] }));
});

describe('forging submissions get no pass from any python exercise', () => {
  it('has attacks, each with an expected verdict for every python exercise, none a pass', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(10);
    expect(python.length).toBeGreaterThanOrEqual(6);
    for (const c of cases) {
      expect(c.expected, `${c.attack}/expected.json has no verdict for ${c.exercise.slug}`).toBeDefined();
      expect(c.expected?.status, `${c.attack} on ${c.exercise.slug}`).not.toBe('pass');
    }
  });

  it.concurrent.each(cases.map((c) => [`${c.attack} on ${c.exercise.slug}`, c] as const))('%s', async (label, c) => {
    const starter = readFileSync(join(exercisesDir, c.exercise.slug, 'starter', 'main.py'), 'utf8');
    const attack = readFileSync(join(root, c.attack, 'attack.py'), 'utf8');
    const verdict = await checks.check(c.exercise, { 'main.py': `${starter}\n${attack}` });
    expect(verdict.status).not.toBe('pass');
    expectExerciseVerdict(verdict, c.expected!, label);
  }, 240_000);
});
