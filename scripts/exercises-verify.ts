import { resolve } from 'node:path';
import { connectEngine, engineAddress, probeEngine } from '../sandbox-server/docker/engine.ts';
import { formatExerciseError } from '../sandbox-server/exercises/errors.ts';
import { loadExercises } from '../sandbox-server/exercises/load.ts';
import type { Verdict } from '../sandbox-server/contract/verdict.ts';
import { commandCheckService } from './check-service.ts';

/**
 * npm run exercises:verify [slug…]: proves, in real containers, that each exercise's
 * reference solution passes with full score and its starter does not pass.
 */
const root = resolve(import.meta.dirname, '..', 'exercises');
const wanted = process.argv.slice(2);
const { exercises, errors } = loadExercises(root);
for (const error of errors) console.error(`✗ ${formatExerciseError(error)}`);
const unknown = wanted.filter((slug) => !exercises.some((e) => e.slug === slug));
for (const slug of unknown) console.error(`✗ no exercise named ${slug} under ${root}`);
if (errors.length > 0 || unknown.length > 0) process.exit(1);

const docker = connectEngine();
const engine = await probeEngine(docker, 5000);
if (!engine.ok) {
  console.error(`✗ exercises:verify needs a Docker engine at ${engineAddress()}: ${engine.error}`);
  process.exit(1);
}

const checks = await commandCheckService(docker);
const summary = (v: Verdict) => `${v.status} ${v.score}/${v.max_score}${v.error_kind ? ` (${v.error_kind})` : ''}`;
const selected = wanted.length > 0 ? exercises.filter((e) => wanted.includes(e.slug)) : exercises;
let failures = 0;

/** Proves one exercise; prints its line (and what went wrong) as soon as it is known. */
async function verify(exercise: (typeof selected)[number]): Promise<void> {
  const started = Date.now();
  try {
    const solution = await checks.check(exercise, exercise.solution);
    const starter = await checks.check(exercise, exercise.starter);
    const problems: string[] = [];
    if (solution.status !== 'pass' || solution.score !== solution.max_score || solution.max_score === 0) {
      problems.push(`the solution must pass with full score, got ${summary(solution)}${solution.message ? `: ${solution.message}` : ''}`);
    }
    if (starter.status === 'pass') problems.push('the starter must not pass, but it does');
    if (starter.error_kind === 'internal' || solution.error_kind === 'internal') problems.push('the checker failed to run');
    const line = `${exercise.slug}: solution ${summary(solution)}, starter ${summary(starter)} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    if (problems.length === 0) console.log(`✓ ${line}`);
    else {
      failures += 1;
      const failed = solution.tests.filter((t) => t.status !== 'pass');
      console.error(`✗ ${line}\n    ${problems.join('\n    ')}`);
      for (const t of failed) console.error(`    - solution: ${t.name}: ${t.status}${t.message ? ` (${t.message})` : ''}`);
    }
  } catch (err) {
    failures += 1;
    console.error(`✗ ${exercise.slug}: ${(err as Error).message}`);
  }
}

// Exercises are proved a few at a time (each check has a sandbox of its own); the slowest first.
const CONCURRENCY = Math.max(1, Number(process.env.DOCKYARD_VERIFY_CONCURRENCY) || 2);
const cost = { compose: 0, dockerfile: 1, terminal: 2, python: 3 } as Record<string, number>;
const queue = [...selected].sort((a, b) => (cost[a.frontmatter.kind] ?? 9) - (cost[b.frontmatter.kind] ?? 9));
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await verify(next);
  }),
);
// A check's sandbox is removed after its verdict: let the last removals finish before the process ends.
await checks.settle();
console.log(`${selected.length - failures} passed, ${failures} failed`);
process.exit(failures > 0 ? 1 : 0);
