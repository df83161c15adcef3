/**
 * `node bench/check-phases.ts`: where the time of a dockerfile and a compose check goes. Checks the reference
 * solutions of two exercises in sandboxes of a check pool (as a server with DOCKYARD_POOL_CHECK=1 does), and prints,
 * for each, the median of every phase the verdict reports (resources.phases_ms), the time to the verdict, the
 * sandbox's removal after it, and baseline A (`docker run --rm busybox true`) measured in the same run.
 * BENCH_PHASE_RUNS (default 3) runs per exercise, one unmeasured first; BENCH_PHASE_EXERCISES to choose them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CheckPool } from '../sandbox-server/checkers/check-pool.ts';
import { runSandboxCheck, type SandboxRemoval } from '../sandbox-server/checkers/sandbox/check.ts';
import { sandboxCheckWallMs } from '../sandbox-server/checkers/sandbox/limits.ts';
import { SandboxDriver } from '../sandbox-server/docker/driver.ts';
import { connectEngine } from '../sandbox-server/docker/engine.ts';
import { baseImages } from '../sandbox-server/exercises/base-images.ts';
import { loadExercises } from '../sandbox-server/exercises/load.ts';
import { submissionFiles } from '../sandbox-server/exercises/submission.ts';
import { detectIsolation } from '../sandbox-server/sandboxes/isolation.ts';
import { dockerRunBaseline } from './docker-run-baseline.ts';
import { median } from './stats.ts';
import { sleep } from './timing.ts';

const RUNS = Math.max(1, Number(process.env.BENCH_PHASE_RUNS ?? 3));
const SLUGS = (process.env.BENCH_PHASE_EXERCISES ?? 'dockerfile-python-app,compose-hit-counter').split(',');
const log = (line: string) => console.error(`[phases] ${line}`);

const docker = connectEngine();
const driver = new SandboxDriver(docker);
driver.isolation = await detectIsolation(docker);
const { exercises } = loadExercises(resolve(import.meta.dirname, '..', 'exercises'));
const pool = new CheckPool(driver, { size: 1, images: baseImages(exercises), onError: (err) => log(`check pool: ${(err as Error).message}`) });

/** Waits for a ready pool sandbox, then a moment for the engine to settle, as the bench's warm rows do. */
async function poolReady(): Promise<void> {
  for (const deadline = Date.now() + 300_000; pool.available < 1; await sleep(200)) {
    if (Date.now() > deadline) throw new Error('no check sandbox became ready within 300 s');
  }
  await sleep(300);
}

const table: string[] = [];
try {
  const baseline = median(await dockerRunBaseline(Math.max(5, RUNS)));
  log(`baseline A: median ${Math.round(baseline)} ms`);
  await pool.start();
  for (const slug of SLUGS) {
    const exercise = exercises.find((e) => e.slug === slug);
    if (!exercise) throw new Error(`no exercise ${slug}`);
    const req = {
      files: submissionFiles(exercise, exercise.solution),
      checkProgram: readFileSync(exercise.checkPath, 'utf8'),
      limits: { wallMs: sandboxCheckWallMs(exercise.frontmatter.timeLimitSeconds) },
      sandboxes: pool,
    };
    const samples: Array<{ phases: Record<string, number>; verdictMs: number; removalMs: number }> = [];
    for (let i = 0; i <= RUNS; i += 1) {
      await poolReady();
      let removal: Promise<SandboxRemoval> | undefined;
      const started = Date.now();
      const verdict = await runSandboxCheck(driver, { ...req, onRemoval: (r) => void (removal = r) });
      const verdictMs = Date.now() - started;
      const removalMs = (await removal)?.ms ?? 0;
      if (verdict.status !== 'pass') throw new Error(`${slug}: the reference solution did not pass: ${JSON.stringify(verdict).slice(0, 400)}`);
      log(`${slug} ${i === 0 ? 'warm-up' : `run ${i}`}: verdict ${verdictMs} ms, removal ${removalMs} ms ${JSON.stringify(verdict.resources.phases_ms)}`);
      if (i > 0) samples.push({ phases: verdict.resources.phases_ms ?? {}, verdictMs, removalMs });
    }
    const names = [...new Set(samples.flatMap((s) => Object.keys(s.phases)))];
    const row = (name: string, values: number[]) => {
      const m = median(values);
      return `| ${slug} | ${name} | ${Math.round(m)} ms | ${(m / baseline).toFixed(2)}× |`;
    };
    for (const name of names) table.push(row(name, samples.map((s) => s.phases[name] ?? 0)));
    table.push(row('**verdict** (what the student waits for)', samples.map((s) => s.verdictMs)));
    table.push(row('sandbox removal, after the verdict', samples.map((s) => s.removalMs)));
  }
  console.log(`| Exercise | Phase | Median (${RUNS} runs) | ÷ baseline A (${Math.round(baseline)} ms) |\n|---|---|---:|---:|\n${table.join('\n')}`);
} finally {
  await pool.drain();
}
process.exit(0);
