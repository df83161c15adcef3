import { join } from 'node:path';
import type Docker from 'dockerode';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadExercise, type Exercise } from '../exercises/load.ts';
import { handleError } from './errors.ts';
import { RUN_CONTENT_TYPE, type RunEvent } from '../contract/run-events.ts';
import { CheckService } from '../checkers/service.ts';
import type { SandboxDriver } from '../docker/driver.ts';
import { encodeRunEvent, runRoutes } from './run.ts';

const root = join(import.meta.dirname, '..', '..', 'exercises');
function exercise(slug: string): Exercise {
  const { exercise: loaded, errors } = loadExercise(join(root, slug));
  if (!loaded) throw new Error(`${slug}: ${JSON.stringify(errors)}`);
  return loaded;
}
const python = exercise('asyncio-gather');
const dockerfile = exercise('dockerfile-python-app');

/** An engine that must never be reached: validation happens before any container. */
const untouchable = new Proxy({}, {
  get: (_t, prop) => {
    throw new Error(`the engine was used (${String(prop)}) before the request was validated`);
  },
}) as unknown as Docker;

function app(docker: Docker = untouchable, log: (line: string) => void = () => {}): Hono {
  const exercises = new Map([python, dockerfile].map((e) => [e.slug, e]));
  const a = new Hono();
  a.onError(handleError);
  const checks = new CheckService({ docker } as SandboxDriver, { log });
  a.route('/api/exercises', runRoutes({ exercises, checks }));
  return a;
}

const post = (a: Hono, slug: string, body: unknown) =>
  a.request(`/api/exercises/${slug}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function events(res: Response): Promise<RunEvent[]> {
  const text = await res.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunEvent);
}

describe('run events', () => {
  it('are one JSON object per line', () => {
    const line = encodeRunEvent({ type: 'output', stream: 'stdout', data: 'a\nb' });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ type: 'output', stream: 'stdout', data: 'a\nb' });
  });

});

describe('POST /api/exercises/:slug/run', () => {
  it('answers 404 for an unknown exercise', async () => {
    const res = await post(app(), 'no-such-exercise', { files: { 'main.py': '' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'exercise_not_found', message: 'No exercise named no-such-exercise.' } });
  });

  it('refuses exercises that are not Python programs', async () => {
    const res = await post(app(), 'dockerfile-python-app', { files: { Dockerfile: 'FROM busybox' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('run_not_supported');
  });

  it('rejects bad bodies and bad file names before any container', async () => {
    const a = app();
    const notJson = await post(a, 'asyncio-gather', '{');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const noFiles = await post(a, 'asyncio-gather', { code: 'print(1)' });
    expect(noFiles.status).toBe(400);
    const escape = await post(a, 'asyncio-gather', { files: { '../main.py': 'print(1)' } });
    expect(escape.status).toBe(400);
    expect(await escape.json()).toEqual({ error: { code: 'invalid_files', message: '"../main.py": ".." is not allowed' } });
  });

  it('streams a start event, then an end event that says why the sandbox did not start', async () => {
    const broken = { createContainer: async () => Promise.reject(new Error('engine went away')) } as unknown as Docker;
    const logged: string[] = [];
    const res = await post(app(broken, (line) => logged.push(line)), 'asyncio-gather', { files: { 'main.py': 'print(1)' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(RUN_CONTENT_TYPE);
    const list = await events(res);
    expect(list[0]).toEqual({ type: 'start', entry: 'main.py', timeLimitMs: 20_000 });
    expect(list.at(-1)).toMatchObject({ type: 'end', reason: 'error', exitCode: null });
    expect(list).toHaveLength(2);
    expect(logged).toEqual(['a run of main.py could not start: engine went away']);
  });
});
