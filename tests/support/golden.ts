import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect } from 'vitest';
import { z } from 'zod';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';

/**
 * Golden checker cases: a folder under tests/fixtures/<checker>/ holding a submission and `expected.json`, the verdict
 * it must get. A new case is a new folder; the checker's test loops over them with no code per case.
 */

const repo = resolve(import.meta.dirname, '../..');

/** Text the verdict must show: exact, or a `/regular expression/flags`. */
const Text = z.string().describe('Exact text, or /a regular expression/ with optional flags.');

/** The `expected.json` of a golden case. */
export const GoldenCaseSchema = z
  .object({
    check: z.string().describe('The check program: a path relative to the case folder, or exercises/<slug>/check.py from the repository root.'),
    with: z
      .record(z.string(), z.string())
      .default({})
      .describe('More submission files: name → a file relative to the repository root (a starter file the exercise gives).'),
    wallMs: z.number().int().positive().optional().describe('The wall limit of the check, when not the default.'),
    verdict: z
      .object({
        status: z.enum(['pass', 'fail', 'error']),
        error_kind: z.string().nullable().describe('null: no error kind.'),
        score: z.number().int(),
        max_score: z.number().int(),
        message: Text.optional(),
        tests: z.array(
          z.object({ name: z.string(), status: z.enum(['pass', 'fail', 'error']), message: Text.optional(), hint: Text.optional() }).strict(),
        ),
      })
      .strict()
      .describe('What the verdict must say; fields not named are not compared.'),
  })
  .strict();

/** One golden case, read. */
export interface GoldenCase {
  /** The case's folder, relative to the checker's fixtures. */
  name: string;
  /** The submission: the case folder's files (expected.json aside) and `with`. */
  files: Record<string, string>;
  checkProgram: string;
  wallMs: number | undefined;
  expected: z.infer<typeof GoldenCaseSchema>['verdict'];
}

/** Every folder under `dir` that holds an expected.json, depth first, sorted. */
function caseFolders(dir: string): string[] {
  const here = existsSync(join(dir, 'expected.json')) ? [dir] : [];
  const below = readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
    .flatMap(caseFolders);
  return [...here, ...below];
}

/** The golden cases of one checker's fixtures (tests/fixtures/<checker>); throws, naming the file, on a bad expected.json. */
export function goldenCases(checker: string): GoldenCase[] {
  const root = join(repo, 'tests/fixtures', checker);
  const cases = caseFolders(root).map((dir) => {
    const file = join(dir, 'expected.json');
    const parsed = GoldenCaseSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${relative(repo, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const spec = parsed.data;
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir)) {
      if (name !== 'expected.json' && statSync(join(dir, name)).isFile()) files[name] = readFileSync(join(dir, name), 'utf8');
    }
    for (const [name, path] of Object.entries(spec.with)) files[name] = readFileSync(join(repo, path), 'utf8');
    const checkPath = spec.check.startsWith('exercises/') ? join(repo, spec.check) : join(dir, spec.check);
    return { name: relative(root, dir), files, checkProgram: readFileSync(checkPath, 'utf8'), wallMs: spec.wallMs, expected: spec.verdict };
  });
  if (cases.length === 0) throw new Error(`no golden cases (folders with expected.json) under ${relative(repo, root)}`);
  return cases;
}

/** A matcher for Text: exact, or the regular expression it spells. */
function text(value: string): unknown {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(value);
  return re ? expect.stringMatching(new RegExp(re[1]!, re[2])) : value;
}

/** Asserts that `verdict` says what the golden case expects. */
export function expectGolden(verdict: Verdict, expected: GoldenCase['expected']): void {
  const { error_kind, message, tests, ...rest } = expected;
  expect({ ...verdict, error_kind: verdict.error_kind ?? null }).toMatchObject({
    ...rest,
    error_kind,
    ...(message === undefined ? {} : { message: text(message) }),
    tests: tests.map((t) => ({
      name: t.name,
      status: t.status,
      ...(t.message === undefined ? {} : { message: text(t.message) }),
      ...(t.hint === undefined ? {} : { hint: text(t.hint) }),
    })),
  });
}
