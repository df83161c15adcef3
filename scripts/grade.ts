import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectEngine, engineAddress, probeEngine } from '../sandbox-server/docker/engine.ts';
import { UnsupportedKindError } from '../sandbox-server/checkers/errors.ts';
import { commandCheckService } from './check-service.ts';
import { formatExerciseError } from '../sandbox-server/exercises/errors.ts';
import { loadExercises } from '../sandbox-server/exercises/load.ts';
import { referenceMaxScore } from '../sandbox-server/grading/calibrate.ts';
import { gradeBatch, progressLine } from '../sandbox-server/grading/grade-batch.ts';
import { readSubmissions } from '../sandbox-server/grading/read-submissions.ts';
import { writeGradebook } from '../sandbox-server/grading/write-outputs.ts';

/**
 * npm run grade -- <slug> <submissions-dir> --out <dir> [--concurrency N] [--exercises <root>]:
 * grades one folder per student and writes gradebook.csv, gradebook.json, junit.xml and
 * <student>.json. The reference solution is checked first (it must pass). Exit 0: all graded; 1: some could not be graded (checker failure); 2: usage or setup.
 */
const usage = 'usage: npm run grade -- <slug> <submissions-dir> --out <dir> [--concurrency N] [--exercises <root>]';
const fail = (message: string): never => {
  console.error(`✗ ${message}`);
  process.exit(2);
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, concurrency: { type: 'string' }, exercises: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (err) {
  fail(`${(err as Error).message}\n${usage}`);
}
const { values, positionals } = parsed!;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [slug, submissionsDir, ...extra] = positionals;
if (!slug || !submissionsDir || extra.length > 0 || !values.out) fail(usage);
const concurrency = values.concurrency === undefined ? availableParallelism() : Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) fail(`--concurrency must be a whole number from 1 to 64, got ${values.concurrency}`);

const root = resolve(values.exercises ?? resolve(import.meta.dirname, '..', 'exercises'));
const { exercises, errors } = loadExercises(root);
const exercise = exercises.find((e) => e.slug === slug);
if (!exercise) {
  for (const error of errors) console.error(`  ${formatExerciseError(error)}`);
  fail(`no exercise named ${slug} under ${root}`);
}

let read;
try {
  read = readSubmissions(resolve(submissionsDir!));
} catch (err) {
  fail(`cannot read submissions from ${submissionsDir}: ${(err as Error).message}`);
}
for (const name of read!.skipped) console.error(`  skipped ${name}: not a student folder`);
if (read!.submissions.length === 0) fail(`no student folders in ${submissionsDir}`);

const docker = connectEngine();
const engine = await probeEngine(docker, 5000);
if (!engine.ok) fail(`grading needs a Docker engine at ${engineAddress()}: ${engine.error}`);

const checks = await commandCheckService(docker);
const check = (files: Record<string, string>) => checks.check(exercise!, files);
let maxScore = 0;
try {
  maxScore = await referenceMaxScore(check, exercise!.solution);
} catch (err) {
  fail(`not grading: ${(err as Error).message}`);
}
const total = read!.submissions.length;
console.log(`Grading ${total} submission${total === 1 ? '' : 's'} of ${slug}, ${concurrency} at a time…`);
const started = Date.now();
let results;
try {
  results = await gradeBatch(read!.submissions, check, {
    concurrency,
    onResult: (r, done, n) => console.log(progressLine(r, done, n, maxScore)),
    onRetry: (student, message) => console.log(`  ${student}: the checker failed (${message}); retrying once`),
  });
} catch (err) {
  if (err instanceof UnsupportedKindError) fail(err.message);
  throw err;
}

// A check's sandbox is removed after its verdict: let the last removals finish before the process may exit.
await checks.settle();
const out = resolve(values.out!);
const book = writeGradebook(out, slug!, results!, { maxScore });
const count = (status: string) => book.rows.filter((r) => r.graded && r.status === status).length;
const ungraded = book.rows.filter((r) => !r.graded).map((r) => r.student);
console.log(
  `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error` +
    `${ungraded.length ? `, ${ungraded.length} NOT GRADED` : ''}. Wrote ${out}/gradebook.csv, gradebook.json, junit.xml and one JSON per student.`,
);
if (ungraded.length > 0) {
  console.error(`✗ not graded because the checker failed twice: ${ungraded.join(', ')}. Their rows say graded=false; re-run them.`);
  process.exit(1);
}
