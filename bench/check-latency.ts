/** Check latency of a python exercise through the API, beside a bare `docker run --rm` of the same image. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SANDBOX_PYTHON_IMAGE } from '../sandbox-server/sandboxes/python-profile.ts';
import { timed } from './timing.ts';

const run = promisify(execFile);

/** The exercise the bench checks: its reference solution must pass. */
export const CHECKED_EXERCISE = 'asyncio-gather';

/** `docker run --rm <python sandbox image> python3 -c pass`, once unmeasured then `runs` times, in ms. */
export async function pythonImageBaseline(runs: number): Promise<number[]> {
  const once = () => run('docker', ['run', '--rm', SANDBOX_PYTHON_IMAGE, 'python3', '-c', 'pass'], { timeout: 60_000 });
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await timed(once)).ms);
  return samples;
}

/** POST /api/exercises/<exercise>/check with the reference solution, once unmeasured then `runs` times, in ms. */
export async function checkLatency(baseUrl: string, runs: number): Promise<number[]> {
  const solution = readFileSync(resolve(import.meta.dirname, '..', 'exercises', CHECKED_EXERCISE, 'solution', 'main.py'), 'utf8');
  const once = async () => {
    const res = await fetch(new URL(`api/exercises/${CHECKED_EXERCISE}/check`, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: { 'main.py': solution } }),
    });
    const verdict = (await res.json()) as { status?: string };
    if (res.status !== 200 || verdict.status !== 'pass') throw new Error(`check answered ${res.status} ${JSON.stringify(verdict).slice(0, 200)}`);
  };
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await timed(once)).ms);
  return samples;
}
