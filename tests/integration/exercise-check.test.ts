import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_CHECKER } from '../../sandbox-server/base/names.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { runInContainer } from '../../sandbox-server/docker/exec.ts';

const docker = connectEngine();
const exercise = (slug: string, file: string) => readFileSync(resolve(import.meta.dirname, '../../exercises', slug, file), 'utf8');

describe('POST /api/exercises/:slug/check', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DOCKYARD_SKIP_IMAGES: '1', DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '0' }, { sandboxes: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const check = (slug: string, body: unknown) =>
    fetch(new URL(`api/exercises/${slug}/check`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('lists the exercises', async () => {
    const list = (await (await fetch(new URL('api/exercises', server.url))).json()) as Array<{ slug: string; kind: string }>;
    expect(list).toContainEqual(expect.objectContaining({ slug: 'asyncio-gather', kind: 'python' }));
  });

  it('passes the reference solution with full score and fails the starter with a hint', async () => {
    const pass = await check('asyncio-gather', { files: { 'main.py': exercise('asyncio-gather', 'solution/main.py') } });
    expect(pass.status).toBe(200);
    const verdict = (await pass.json()) as { status: string; score: number; max_score: number; resources: { wall_ms: number } };
    expect(verdict).toMatchObject({ status: 'pass', score: 2, max_score: 2 });
    expect(verdict.resources.wall_ms).toBeGreaterThan(0);

    const fail = (await (await check('asyncio-gather', { files: { 'main.py': exercise('asyncio-gather', 'starter/main.py') } })).json()) as {
      status: string;
      tests: Array<{ name: string; status: string; message?: string; hint?: string }>;
    };
    expect(fail.status).toBe('fail');
    const concurrent = fail.tests.find((t) => t.name.includes('concurrently'));
    expect(concurrent).toMatchObject({ status: 'fail', hint: expect.stringContaining('gather') });
    expect(concurrent?.message).toContain('3');
  });

  it('rejects bad submissions with 400 before any container is made', async () => {
    const before = (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL_CHECKER] }) })).length;
    const cases: Array<[unknown, string]> = [
      [{ files: { '../escape.py': 'x' } }, 'invalid_files'],
      [{ files: { '/etc/passwd': 'x' } }, 'invalid_files'],
      [{ files: { 'a\u0000b.py': 'x' } }, 'invalid_files'],
      [{ files: { 'big.py': 'x'.repeat(65 * 1024) } }, 'invalid_files'],
      [{ files: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}.py`, ''])) }, 'invalid_files'],
      [{ files: { 'main.py': 42 } }, 'invalid_request'],
      [{ code: 'print(1)' }, 'invalid_request'],
    ];
    for (const [body, code] of cases) {
      const res = await check('asyncio-gather', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const unknown = await check('no-such-exercise', { files: {} });
    expect(unknown.status).toBe(404);
    const after = (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL_CHECKER] }) })).length;
    expect(after).toBe(before);
  });

  it('checks a terminal exercise against the state of a live docker session', async () => {
    const created = (await (
      await fetch(new URL('api/sessions', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"docker"}' })
    ).json()) as { id: string; token: string };
    const auth = { authorization: `Bearer ${created.token}`, 'content-type': 'application/json' };
    const checkLive = (headers: Record<string, string>) =>
      fetch(new URL('api/exercises/terminal-shared-volume/check', server.url), { method: 'POST', headers, body: JSON.stringify({ sessionId: created.id }) });
    try {
      expect((await checkLive({ 'content-type': 'application/json' })).status).toBe(401);
      const before = (await (await checkLive(auth)).json()) as { status: string };
      expect(before.status).toBe('fail');
      // The student does the exercise in their shell.
      const containerId = (await docker.getVolume(`dockyard-session-${created.id}`).inspect()).Labels['dockyard.session.containerId']!;
      const done = await runInContainer(docker, containerId, ['bash', '-c', exercise('terminal-shared-volume', 'solution/commands.sh')], { timeoutMs: 120_000 });
      expect(done.exitCode, done.stderr).toBe(0);
      const after = (await (await checkLive(auth)).json()) as { status: string; score: number; max_score: number };
      expect(after).toMatchObject({ status: 'pass' });
      expect(after.score).toBe(after.max_score);
    } finally {
      await fetch(new URL(`api/sessions/${created.id}`, server.url), { method: 'DELETE', headers: auth });
    }
  });

  it("holds a client to its share of checks and runs (2 by default), and gives a slot back when its work ends", async () => {
    const slow = { files: { 'main.py': "import time\nprint('running', flush=True)\ntime.sleep(60)\n" } };
    const runs = [new AbortController(), new AbortController()];
    try {
      // Two runs in flight: the answer's headers arrive once the slot is taken, the body streams on.
      const started = await Promise.all(
        runs.map((r) =>
          fetch(new URL('api/exercises/asyncio-gather/run', server.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(slow),
            signal: r.signal,
          }),
        ),
      );
      expect(started.map((r) => r.status)).toEqual([200, 200]);
      const refused = await check('asyncio-gather', { files: { 'main.py': exercise('asyncio-gather', 'solution/main.py') } });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'too_many_checks',
        message: expect.stringContaining('2 checks or runs'),
      });
    } finally {
      for (const r of runs) r.abort();
    }
    // Stopping the runs removes their containers and frees the slots: a check goes through again.
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await check('asyncio-gather', { files: { 'main.py': exercise('asyncio-gather', 'solution/main.py') } })).status;
      if (status !== 429) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
