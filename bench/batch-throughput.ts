/** Batch grading throughput beside the same number of bare `docker run`s at the same concurrency. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { loadExercises } from '../sandbox-server/exercises/load.ts';
import { createLimiter } from '../sandbox-server/grading/limiter.ts';
import { gradeBatch, type Submission } from '../sandbox-server/grading/grade-batch.ts';
import { SANDBOX_PYTHON_IMAGE } from '../sandbox-server/sandboxes/python-profile.ts';
import { commandCheckService } from '../scripts/check-service.ts';
import { CHECKED_EXERCISE } from './check-latency.ts';
import { timed } from './timing.ts';

const run = promisify(execFile);

/** Submissions per batch, as the target names. */
export const BATCH_SIZE = 50;

/** One batch of `BATCH_SIZE` bare `docker run --rm <python image> python3 -c pass` at `concurrency`: submissions per second. */
async function dockerRunBatch(concurrency: number): Promise<number> {
  const limit = createLimiter(concurrency);
  const { ms } = await timed(() =>
    Promise.all(Array.from({ length: BATCH_SIZE }, () => limit(() => run('docker', ['run', '--rm', SANDBOX_PYTHON_IMAGE, 'python3', '-c', 'pass'], { timeout: 60_000 })))),
  );
  return BATCH_SIZE / (ms / 1000);
}

/** One batch of `BATCH_SIZE` graded submissions (half right, half wrong) at `concurrency`: submissions per second. */
async function gradingBatch(docker: Docker, concurrency: number): Promise<number> {
  const exercise = loadExercises().exercises.find((e) => e.slug === CHECKED_EXERCISE);
  if (!exercise) throw new Error(`exercise ${CHECKED_EXERCISE} did not load`);
  const submissions: Submission[] = Array.from({ length: BATCH_SIZE }, (_, i) => ({
    student: `s${String(i).padStart(2, '0')}`,
    files: i % 2 === 0 ? exercise.solution : exercise.starter,
  }));
  const checks = await commandCheckService(docker);
  const { ms, result } = await timed(() => gradeBatch(submissions, (files) => checks.check(exercise, files), { concurrency }));
  const ungraded = result.filter((r) => r.verdict.error_kind === 'internal').length;
  if (ungraded > 0) throw new Error(`${ungraded} submissions could not be graded`);
  return BATCH_SIZE / (ms / 1000);
}

/** `rounds` alternating batches of each kind; returns submissions per second for both. */
export async function batchThroughput(docker: Docker, concurrency: number, rounds: number): Promise<{ grading: number[]; dockerRun: number[] }> {
  const grading: number[] = [];
  const dockerRun: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    dockerRun.push(await dockerRunBatch(concurrency));
    grading.push(await gradingBatch(docker, concurrency));
  }
  return { grading, dockerRun };
}
