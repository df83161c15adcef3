/** Baseline A: wall time of `docker run --rm busybox true` through the docker CLI, as a user would run it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { timed } from './timing.ts';

const run = promisify(execFile);

/** Runs `docker run --rm busybox true` once unmeasured, then `runs` times; returns each wall time in ms. */
export async function dockerRunBaseline(runs: number): Promise<number[]> {
  const once = () => run('docker', ['run', '--rm', 'busybox', 'true'], { timeout: 60_000 });
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await timed(once)).ms);
  return samples;
}
