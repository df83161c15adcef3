import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_MANAGED, LABEL_OWNER, LABEL_ROLE } from '../../sandbox-server/base/names.ts';
import { ownerLabel } from '../../sandbox-server/docker/owner.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { openTerminal } from '../support/terminal-client.ts';
import { runInContainer } from '../../sandbox-server/docker/exec.ts';

const docker = connectEngine();
const base = { DOCKYARD_SKIP_IMAGES: '1', DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '0' };
let servers: RunningServer[] = [];

async function start(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer({ ...base, ...env }, { sandboxes: true });
  servers.push(server);
  return server;
}
afterEach(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

async function create(server: RunningServer, kind: string): Promise<Response> {
  return fetch(new URL('api/sessions', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind }),
  });
}

async function sandboxContainers(role: string): Promise<Array<Record<string, string>>> {
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`, `${LABEL_ROLE}=${role}`] });
  return (await docker.listContainers({ all: true, filters })).map((c) => c.Labels);
}

/** Resident memory of a process, in bytes. */
function rss(pid: number): number {
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1];
  return Number(kb) * 1024;
}

describe('session lifecycle', () => {
  it('ends an idle session and removes its sandbox; a heartbeat keeps another alive', async () => {
    const server = await start({ DOCKYARD_IDLE_MINUTES: '0.05' }); // 3 s
    const idle = (await (await create(server, 'python')).json()) as { id: string; token: string };
    const kept = (await (await create(server, 'python')).json()) as { id: string; token: string };
    const term = await openTerminal(server.url, kept.id, kept.token);
    const heartbeat = setInterval(() => term.send({ type: 'ping' }), 500);
    try {
      const status = (s: { id: string; token: string }) =>
        fetch(new URL(`api/sessions/${s.id}`, server.url), { headers: { authorization: `Bearer ${s.token}` } }).then((r) => r.status);
      await new Promise((r) => setTimeout(r, 6000));
      expect(await status(idle)).toBe(404);
      expect(await status(kept)).toBe(200);
      await expect(docker.getVolume(`dockyard-session-${idle.id}`).inspect()).rejects.toMatchObject({ statusCode: 404 });
      expect(server.output()).toContain(`session ${idle.id} ended (idle)`);
    } finally {
      clearInterval(heartbeat);
      await term.close();
      await fetch(new URL(`api/sessions/${kept.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${kept.token}` } });
    }
  });

  it('ends a session at its hard time limit even while it is in use', async () => {
    const server = await start({ DOCKYARD_TTL_MINUTES: '0.05', DOCKYARD_IDLE_MINUTES: '0.05' });
    const s = (await (await create(server, 'python')).json()) as { id: string; token: string; expiresAt: string };
    expect(Date.parse(s.expiresAt) - Date.now()).toBeLessThanOrEqual(3000);
    const term = await openTerminal(server.url, s.id, s.token);
    const heartbeat = setInterval(() => term.send({ type: 'ping' }), 300);
    try {
      await expect.poll(() => server.output(), { timeout: 15_000 }).toContain(`session ${s.id} ended (reached its time limit)`);
      await new Promise<void>((resolve) => (term.ws.readyState === WebSocket.CLOSED ? resolve() : term.ws.once('close', () => resolve())));
    } finally {
      clearInterval(heartbeat);
    }
  });

  it('answers 503 with Retry-After when the server is full', async () => {
    const server = await start({ DOCKYARD_MAX_SESSIONS: '1' });
    const first = (await (await create(server, 'python')).json()) as { id: string; token: string };
    const second = await create(server, 'python');
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('30');
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('at_capacity');
    await fetch(new URL(`api/sessions/${first.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${first.token}` } });
  });

  it('answers malformed requests with 4xx and the error shape, never a container', async () => {
    const server = await start({});
    const before = (await sandboxContainers('sandbox-python')).length + (await sandboxContainers('sandbox-docker')).length;
    const api = (path: string, init?: RequestInit) => fetch(new URL(`api/${path}`, server.url), init);
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ['unknown kind', api('sessions', { method: 'POST', body: '{"kind":"vm"}' }), 400, 'invalid_request'],
      ['extra field', api('sessions', { method: 'POST', body: '{"kind":"python","privileged":true}' }), 400, 'invalid_request'],
      ['wrong type', api('sessions', { method: 'POST', body: '{"kind":7}' }), 400, 'invalid_request'],
      ['bad JSON', api('sessions', { method: 'POST', body: '{"kind":' }), 400, 'invalid_json'],
      ['oversized body', api('sessions', { method: 'POST', body: `{"kind":"python","x":"${'x'.repeat(2 * 1024 * 1024)}"}` }), 413, 'payload_too_large'],
      ['unknown id', api('sessions/AAAAAAAAAAAAAAAAAAAAAA', { headers: { authorization: 'Bearer x' } }), 404, 'session_not_found'],
      ['malformed id', api('sessions/..%2F..%2Fetc', { headers: { authorization: 'Bearer x' } }), 404, 'session_not_found'],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe(code);
    }
    const after = (await sandboxContainers('sandbox-python')).length + (await sandboxContainers('sandbox-docker')).length;
    expect(after).toBe(before);
  });

  it('serves new sessions from the warm pool and refills it', async () => {
    const server = await start({ DOCKYARD_POOL_PYTHON: '1' });
    const warm = async () => ((await (await fetch(new URL('api/health', server.url))).json()) as { sandboxes?: { warm: { python: number } } }).sandboxes?.warm.python;
    await expect.poll(warm, { timeout: 60_000 }).toBe(1);
    const s = (await (await create(server, 'python')).json()) as { id: string; token: string };
    const volume = await docker.getVolume(`dockyard-session-${s.id}`).inspect();
    const container = await docker.getContainer(volume.Labels['dockyard.session.containerId']!).inspect();
    expect(container.Config.Labels['dockyard.pool']).toBe('python');
    await expect.poll(warm, { timeout: 60_000 }).toBe(1);
    await fetch(new URL(`api/sessions/${s.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  });

  it('leaves no shell behind when a terminal closes, so reloads never exhaust the pids limit', async () => {
    const server = await start({});
    const s = (await (await create(server, 'python')).json()) as { id: string; token: string };
    const containerId = (await docker.getVolume(`dockyard-session-${s.id}`).inspect()).Labels['dockyard.session.containerId']!;
    const shells = async () => {
      const r = await runInContainer(docker, containerId, ['sh', '-c', 'cat /proc/[0-9]*/comm']);
      return r.stdout.split('\n').filter((c) => c === 'bash' || c === 'sleep').sort();
    };
    for (let i = 0; i < 5; i++) {
      const term = await openTerminal(server.url, s.id, s.token);
      term.type('sleep 600 &\r');
      await term.waitFor(/\[1\] \d+/);
      await term.close();
    }
    // Only the sandbox's own keep-alive sleep is left: each shell and its background job were hung up.
    await expect.poll(shells, { timeout: 15_000 }).toEqual(['sleep']);
    await fetch(new URL(`api/sessions/${s.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  });

  it('keeps server memory bounded while a terminal floods a client that does not read', async () => {
    const server = await start({});
    const s = (await (await create(server, 'python')).json()) as { id: string; token: string };
    const term = await openTerminal(server.url, s.id, s.token);
    await term.waitFor('$');
    const pid = server.pid;
    const before = rss(pid);
    // Stop reading: everything the shell prints now piles up on the server's side unless it pauses.
    (term.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    term.type('cat /dev/urandom\r');
    let peak = before;
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 500));
      peak = Math.max(peak, rss(pid));
    }
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    term.ws.terminate();
    await fetch(new URL(`api/sessions/${s.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  });

  it('shuts down cleanly on SIGTERM: pooled sandboxes removed, live sessions kept for the next start', async () => {
    const server = await start({ DOCKYARD_POOL_PYTHON: '1' });
    // This server's python sandboxes (others may run on the same engine meanwhile).
    const ours = async () =>
      (
        await docker.listContainers({
          all: true,
          filters: JSON.stringify({ label: ['dockyard.role=sandbox-python', `${LABEL_OWNER}=${ownerLabel(server.pid)}`] }),
        })
      ).map((c) => c.Id);
    const s = (await (await create(server, 'python')).json()) as { id: string; token: string };
    // The session's sandbox, and a refilled pool beside it.
    await expect.poll(async () => (await ours()).length, { timeout: 60_000 }).toBe(2);
    await server.stop();
    expect(server.output()).toContain('SIGTERM received, shutting down.');
    const sessionContainer = (await docker.getVolume(`dockyard-session-${s.id}`).inspect()).Labels['dockyard.session.containerId'];
    expect(await ours(), server.output()).toEqual([sessionContainer]);
    const next = await start({});
    const info = await fetch(new URL(`api/sessions/${s.id}`, next.url), { headers: { authorization: `Bearer ${s.token}` } });
    expect(info.status).toBe(200);
    await fetch(new URL(`api/sessions/${s.id}`, next.url), { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  });
});
