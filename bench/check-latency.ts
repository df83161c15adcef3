/** Check latency through the API: a python exercise beside a bare `docker run --rm` of its image; a dockerfile exercise with and without a check pool; a compose exercise. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SANDBOX_PYTHON_IMAGE } from '../sandbox-server/sandboxes/python-profile.ts';
import { timed } from './timing.ts';

const run = promisify(execFile);

/** The exercise the bench checks: its reference solution must pass. */
export const CHECKED_EXERCISE = 'asyncio-gather';
/** The dockerfile exercise the bench checks, with and without a check pool. */
export const CHECKED_DOCKERFILE_EXERCISE = 'dockerfile-python-app';
/** The compose exercise the bench checks with a check pool: the Flask + redis-py hit counter. */
export const CHECKED_COMPOSE_EXERCISE = 'compose-hit-counter';

/** `docker run --rm <python sandbox image> python3 -c pass`, once unmeasured then `runs` times, in ms. */
export async function pythonImageBaseline(runs: number): Promise<number[]> {
  const once = () => run('docker', ['run', '--rm', SANDBOX_PYTHON_IMAGE, 'python3', '-c', 'pass'], { timeout: 60_000 });
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await timed(once)).ms);
  return samples;
}

/** The reference solution of an exercise, as the files a check request sends. */
export function solutionFiles(slug: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(resolve(import.meta.dirname, '..', 'exercises', slug, 'solution', f), 'utf8')]));
}

/**
 * POST /api/exercises/<slug>/check with the reference solution (the python exercise by default), once unmeasured
 * then `runs` times, in ms; `before` runs, untimed, before each.
 */
export async function checkLatency(
  baseUrl: string,
  runs: number,
  { slug = CHECKED_EXERCISE, files = solutionFiles(CHECKED_EXERCISE, ['main.py']), before = async () => {} }: { slug?: string; files?: Record<string, string>; before?: () => Promise<void> } = {},
): Promise<number[]> {
  const once = async () => {
    const res = await fetch(new URL(`api/exercises/${slug}/check`, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files }),
    });
    const verdict = (await res.json()) as { status?: string };
    if (res.status !== 200 || verdict.status !== 'pass') throw new Error(`check answered ${res.status} ${JSON.stringify(verdict).slice(0, 200)}`);
  };
  await before();
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    await before();
    samples.push((await timed(once)).ms);
  }
  return samples;
}
