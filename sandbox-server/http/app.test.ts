import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineProbe } from '../docker/engine.ts';
import { createApp, MAX_BODY_BYTES, type AppDeps } from './app.ts';

function deps(engine: EngineProbe, over: Partial<AppDeps> = {}): AppDeps {
  return {
    probeEngine: async () => engine,
    engineState: () => engine,
    imageStatus: async () => ({ ready: true, missing: [] }),
    imageNames: () => ['busybox:latest', 'python:3.11-slim'],
    engineAddress: 'unix:///var/run/docker.sock',
    ...over,
  };
}

const up: EngineProbe = { ok: true, version: '20.10.24' };
const down: EngineProbe = { ok: false, error: 'no Docker socket at /var/run/docker.sock' };

describe('GET /api/health', () => {
  it('reports the engine and the images when the engine answers', async () => {
    const app = createApp(deps(up, { imageStatus: async () => ({ ready: false, missing: ['redis:latest'] }) }));
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      docker: { ok: true, version: '20.10.24' },
      images: { ready: false, missing: ['redis:latest'] },
    });
  });

  it('answers 503 with the reason and what to do when no engine answers', async () => {
    const res = await createApp(deps(down)).request('/api/health');
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, any>;
    expect(body.docker).toEqual(down);
    expect(body.images).toEqual({ ready: false, missing: ['busybox:latest', 'python:3.11-slim'] });
    expect(body.error.code).toBe('engine_unavailable');
    expect(body.error.message).toContain('no Docker socket');
    expect(body.error.message).toMatch(/start|DOCKER_HOST/i);
  });
});

describe('API errors', () => {
  it('answers unknown API routes with the JSON error shape', async () => {
    const res = await createApp(deps(up)).request('/api/nope', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No API route POST /api/nope.' } });
  });

  it('answers 503 with Retry-After on routes that need an engine while none answers', async () => {
    const res = await createApp(deps(down)).request('/api/sessions', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(((await res.json()) as any).error.code).toBe('engine_unavailable');
  });

  it('rejects bodies over the limit with 413 before any route runs', async () => {
    const res = await createApp(deps(up)).request('/api/health', {
      method: 'POST',
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
      headers: { 'content-type': 'text/plain', 'content-length': String(MAX_BODY_BYTES + 1) },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('payload_too_large');
  });

  it('hides unexpected errors behind a generic internal error', async () => {
    const app = createApp(
      deps(up, {
        imageStatus: async () => {
          throw new Error('secret detail');
        },
      }),
    );
    const original = console.error;
    console.error = () => {};
    try {
      const res = await app.request('/api/health');
      expect(res.status).toBe(500);
      const body = (await res.json()) as any;
      expect(body.error.code).toBe('internal');
      expect(body.error.message).not.toContain('secret detail');
    } finally {
      console.error = original;
    }
  });
});

describe('session routes while the session service starts', () => {
  it('answer 503 starting with Retry-After, so a restored session is never reported gone', async () => {
    const sessions = {} as unknown as NonNullable<AppDeps['sessions']>;
    const app = createApp(deps(up, { sessions, sessionsReady: () => false }));
    for (const [method, path] of [
      ['POST', '/api/sessions'],
      ['GET', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/terminal'],
    ] as const) {
      const res = await app.request(path, { method });
      expect(res.status, path).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(((await res.json()) as any).error.code).toBe('starting');
    }
  });
});

describe('course site', () => {
  const siteDir = mkdtempSync(join(tmpdir(), 'dockyard-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(siteDir, '404.html'), '<h1>lost</h1>');

  it('serves built pages on the same app as the API', async () => {
    const res = await createApp(deps(down, { siteDir })).request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('home');
  });

  it('answers unknown API routes in JSON even with the site mounted', async () => {
    const res = await createApp(deps(up, { siteDir })).request('/api/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe('not_found');
  });

  it('serves the site 404 page for unknown pages', async () => {
    const res = await createApp(deps(up, { siteDir })).request('/no/such/lesson/');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('lost');
  });
});
