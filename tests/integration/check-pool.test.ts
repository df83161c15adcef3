import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { runInContainer } from '../../sandbox-server/docker/exec.ts';
import { LABEL_OWNER, LABEL_POOL } from '../../sandbox-server/base/names.ts';
import { ownerLabel } from '../../sandbox-server/docker/owner.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * The check pool: dockerfile and compose checks start in a docker sandbox made ready in advance,
 * with the exercises' base images already pulled into its engine; each is used for one check only.
 */

const docker = connectEngine();
const exercise = (slug: string, file: string) => readFileSync(resolve(import.meta.dirname, '../../exercises', slug, file), 'utf8');

describe('check pool', { timeout: 300_000 }, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(
      { DOCKYARD_SKIP_IMAGES: '1', DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '0', DOCKYARD_POOL_CHECK: '1' },
      { sandboxes: true },
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The containers of this server's check pool (ready, or taken by a check and not yet removed). */
  async function pooled(): Promise<string[]> {
    const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_POOL}=check`] }) });
    return list.filter((c) => c.Labels[LABEL_OWNER] === ownerLabel(server.pid)).map((c) => c.Id);
  }

  /** Waits until the pool reports a ready sandbox other than `not`, and returns its container. */
  async function ready(not?: string): Promise<string> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const health = (await (await fetch(new URL('api/health', server.url))).json()) as { sandboxes?: { warm?: { check?: number } } };
      const ids = await pooled();
      if ((health.sandboxes?.warm?.check ?? 0) >= 1 && ids.length === 1 && ids[0] !== not) return ids[0]!;
      if (Date.now() > deadline) throw new Error(`no ready check sandbox: health ${JSON.stringify(health.sandboxes)}, pooled ${ids.join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Waits until a check's sandbox is removed: it goes right after the verdict is sent. */
  async function gone(container: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (await docker.getContainer(container).inspect().then(() => true, () => false)) {
      if (Date.now() > deadline) throw new Error(`the check sandbox ${container} was not removed within 60 s of its verdict`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const check = async (slug: string, files: Record<string, string>) => {
    const res = await fetch(new URL(`api/exercises/${slug}/check`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { status: string; score: number; max_score: number; tests: Array<{ status: string; hint?: string }>; resources: { phases_ms?: Record<string, number> } };
  };

  it("holds the exercises' base images before any check", async () => {
    const container = await ready();
    const images = await runInContainer(docker, container, ['docker', 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { timeoutMs: 30_000 });
    expect(images.exitCode, images.stderr).toBe(0);
    expect(images.stdout.split('\n')).toEqual(expect.arrayContaining(['python:3.11-slim', 'redis:latest', 'busybox:latest']));
    // Its builder was warmed up by a throwaway build that left no image and no build cache behind.
    const all = await runInContainer(docker, container, ['docker', 'image', 'ls', '-a', '--format', '{{.Repository}}:{{.Tag}}'], { timeoutMs: 30_000 });
    expect(all.stdout.split('\n').filter((line) => line.includes('<none>'))).toEqual([]);
    const cache = await runInContainer(docker, container, ['docker', 'system', 'df', '--format', '{{.Type}}={{.TotalCount}}'], { timeoutMs: 30_000 });
    expect(cache.stdout).toContain('Build Cache=0');
  });

  it('uses a ready sandbox once: the solution passes in it, the starter fails in the next one, each then removed', async () => {
    const first = await ready();
    const pass = await check('dockerfile-python-app', { Dockerfile: exercise('dockerfile-python-app', 'solution/Dockerfile') });
    expect(pass).toMatchObject({ status: 'pass' });
    expect(pass.score).toBe(pass.max_score);
    // Where the time went: a pooled sandbox was claimed (none created), then the check program built and ran the image.
    expect(Object.keys(pass.resources.phases_ms ?? {})).toEqual(expect.arrayContaining(['sandbox claim', 'check program', 'sandbox state', 'build', 'run', 'wait for http']));
    expect(pass.resources.phases_ms).not.toHaveProperty('sandbox create');
    // The sandbox the check took is gone (removed after the verdict), and the pool made a new one.
    await gone(first);
    const second = await ready(first);
    const fail = await check('dockerfile-python-app', { Dockerfile: exercise('dockerfile-python-app', 'starter/Dockerfile') });
    expect(fail.status).toBe('fail');
    for (const t of fail.tests.filter((t) => t.status === 'fail')) expect(t.hint).toBeTruthy();
    await gone(second);
  });

  it('a compose check passes in a ready sandbox too', async () => {
    const taken = await ready();
    const pass = await check('compose-hit-counter', {
      'compose.yaml': exercise('compose-hit-counter', 'solution/compose.yaml'),
      Dockerfile: exercise('compose-hit-counter', 'solution/Dockerfile'),
    });
    expect(pass).toMatchObject({ status: 'pass' });
    expect(pass.score).toBe(pass.max_score);
    expect(Object.keys(pass.resources.phases_ms ?? {})).toEqual(expect.arrayContaining(['sandbox claim', 'compose up', 'wait for http', 'compose down']));
    await gone(taken);
  });

  it('removes its ready sandbox when the server stops', async () => {
    await ready();
    await server.stop();
    expect(await pooled()).toEqual([]);
  });
});
