import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { startServer, type RunningServer } from '../support/server.ts';

describe('npm start with a running engine', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DOCKYARD_SKIP_IMAGES: '1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports the engine the host runs in /api/health', async () => {
    const engineVersion = (await connectEngine().version()).Version;
    const res = await fetch(new URL('api/health', server.url));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.docker).toMatchObject({ ok: true, version: engineVersion });
    expect(typeof body.images.ready).toBe('boolean');
    expect(Array.isArray(body.images.missing)).toBe(true);
  });

  it('serves the site and the API on one port', async () => {
    const page = await fetch(new URL('why-containers/what-is-a-container/', server.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('What is a container?');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    await server.stop();
    expect(server.output()).toContain('SIGTERM received, shutting down.');
  });
});

describe('npm start without an engine', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps serving every lesson', async () => {
    for (const path of ['', 'why-containers/what-is-a-container/']) {
      const res = await fetch(new URL(path, server.url));
      expect(res.status, path).toBe(200);
    }
  });

  it('answers 503 on the API with what to do, and prints the same advice', async () => {
    const res = await fetch(new URL('api/health', server.url));
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.docker.ok).toBe(false);
    expect(body.images.ready).toBe(false);
    expect(body.error.code).toBe('engine_unavailable');
    expect(body.error.message).toContain('unix:///nonexistent/docker.sock');
    expect(server.output()).toContain(body.error.message);
  });
});
