import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExercise } from './load.ts';
import { ScaffoldError, scaffoldExercise, titleFromSlug } from './scaffold.ts';
import { exerciseKinds } from './schema.ts';

const root = mkdtempSync(join(tmpdir(), 'dockyard-scaffold-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scaffoldExercise', () => {
  it.each(exerciseKinds)('writes a %s exercise the loader accepts', (kind) => {
    const created = scaffoldExercise({ root, slug: `try-${kind}`, kind, module: 'volumes', title: `Try ${kind}` });
    expect(created.map((p) => p.slice(root.length + 1)).sort()).toEqual(
      [`try-${kind}/check.py`, `try-${kind}/exercise.md`, expect.stringMatching(new RegExp(`^try-${kind}/solution/`)), expect.stringMatching(new RegExp(`^try-${kind}/starter/`))],
    );
    const { exercise, errors } = loadExercise(join(root, `try-${kind}`));
    expect(errors).toEqual([]);
    expect(exercise?.frontmatter).toMatchObject({ kind, module: 'volumes', title: `Try ${kind}` });
    expect(exercise?.hints).toHaveLength(3);
    expect(Object.keys(exercise?.starter ?? {})).toEqual(Object.keys(exercise?.solution ?? {}));
  });

  it('writes a check stub that fails', () => {
    expect(readFileSync(join(root, 'try-python', 'check.py'), 'utf8')).toContain('sys.exit(1)');
  });

  it('refuses an existing slug, a bad slug and a bad kind', () => {
    expect(() => scaffoldExercise({ root, slug: 'try-python', kind: 'python' })).toThrow(/already exists/);
    expect(() => scaffoldExercise({ root, slug: 'Bad Slug', kind: 'python' })).toThrow(ScaffoldError);
    expect(() => scaffoldExercise({ root, slug: 'fine', kind: 'helm' })).toThrow('bad kind "helm": expected one of terminal, dockerfile, compose, python');
  });

  it('titles from the slug when none is given', () => {
    expect(titleFromSlug('volume-share')).toBe('Volume share');
  });
});

describe('scripts/exercise-new.ts', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['scripts/exercise-new.ts', ...args, '--root', root], { encoding: 'utf8' });

  it('creates a folder and prints what it created', () => {
    const result = run('cli-made', '--kind', 'compose', '--title', 'Made by the CLI');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(join(root, 'cli-made', 'starter', 'compose.yaml'));
    expect(loadExercise(join(root, 'cli-made')).errors).toEqual([]);
  });

  it('exits 2 with a clear message on bad input', () => {
    for (const args of [['cli-made', '--kind', 'compose'], ['Nope', '--kind', 'compose'], ['ok-slug', '--kind', 'nope'], ['ok-slug']]) {
      const result = run(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/already exists|bad slug|bad kind|missing --kind/);
    }
  });
});
