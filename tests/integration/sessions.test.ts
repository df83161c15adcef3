import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_OWNER, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { ownerLabel } from '../../sandbox-server/docker/owner.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { openTerminal, upgradeStatus } from '../support/terminal-client.ts';

const docker = connectEngine();
const serverEnv = {
  DOCKYARD_SKIP_IMAGES: '1',
  DOCKYARD_POOL_DOCKER: '1',
  DOCKYARD_POOL_PYTHON: '1',
  DOCKYARD_MAX_SESSIONS_PER_CLIENT: '3',
};

interface Created {
  id: string;
  token: string;
  kind: string;
  expiresAt: string;
}

async function createSession(server: RunningServer, kind: string): Promise<Response> {
  return fetch(new URL('api/sessions', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind }),
  });
}

async function sandboxObjects(sandboxId: string): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=${sandboxId}`] });
  const [c, v, n] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listVolumes({ filters }),
    docker.listNetworks({ filters }),
  ]);
  return c.length + (v.Volumes ?? []).length + n.length;
}

async function sandboxIdOf(sessionId: string): Promise<string> {
  const volume = await docker.getVolume(`dockyard-session-${sessionId}`).inspect();
  return volume.Labels['dockyard.session.sandboxId']!;
}

describe('sessions over HTTP', () => {
  let server: RunningServer;
  const ended: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    server = await startServer(serverEnv, { sandboxes: true });
  });
  afterAll(async () => {
    for (const end of ended) await end().catch(() => {});
    await server?.stop();
  });

  const endLater = (s: Created) =>
    ended.push(() => fetch(new URL(`api/sessions/${s.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } }));

  it('creates a docker session whose terminal runs containers, keeps state across reconnects, and ends it cleanly', async () => {
    const res = await createSession(server, 'docker');
    expect(res.status).toBe(201);
    const session = (await res.json()) as Created;
    endLater(session);
    expect(session.kind).toBe('docker');
    expect(Buffer.from(session.id, 'base64url').length).toBe(16);
    expect(Buffer.from(session.token, 'base64url').length).toBe(32);
    expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());

    const auth = { authorization: `Bearer ${session.token}` };
    const info = await fetch(new URL(`api/sessions/${session.id}`, server.url), { headers: auth });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { kind: string }).kind).toBe('docker');
    expect((await fetch(new URL(`api/sessions/${session.id}`, server.url))).status).toBe(401);

    const term = await openTerminal(server.url, session.id, session.token);
    term.type('docker run --rm busybox echo hello-from-$((6*7))\r');
    await term.waitFor('hello-from-42', 60_000);
    term.type('docker volume create kept-across-reconnects && echo created-$((1+1))\r');
    await term.waitFor('created-2');
    term.send({ type: 'resize', cols: 101, rows: 33 });
    await new Promise((r) => setTimeout(r, 300));
    term.type('stty size\r');
    await term.waitFor('33 101');
    await term.close();

    // A reload: a fresh shell in the same sandbox, its state intact.
    const again = await openTerminal(server.url, session.id, session.token);
    again.type('docker volume ls --format "vol={{.Name}}"\r');
    await again.waitFor('vol=kept-across-reconnects');
    await again.close();

    const sandboxId = await sandboxIdOf(session.id);
    expect(await sandboxObjects(sandboxId)).toBe(3); // container, engine storage, network
    const del = await fetch(new URL(`api/sessions/${session.id}`, server.url), { method: 'DELETE', headers: auth });
    expect(del.status).toBe(204);
    expect(await sandboxObjects(sandboxId)).toBe(0);
    await expect(docker.getVolume(`dockyard-session-${session.id}`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await fetch(new URL(`api/sessions/${session.id}`, server.url), { headers: auth })).status).toBe(404);
  });

  it('creates a python session with a shell running as the student', async () => {
    const res = await createSession(server, 'python');
    expect(res.status).toBe(201);
    const session = (await res.json()) as Created;
    endLater(session);
    const term = await openTerminal(server.url, session.id, session.token);
    term.type('python3 -c "import asyncio, os; print(\'uid\', os.getuid())"\r');
    await term.waitFor('uid 1000');
    await term.close();
  });

  it('refuses terminals without the token, with another session\'s token, or from a foreign page', async () => {
    const a = (await (await createSession(server, 'python')).json()) as Created;
    const b = (await (await createSession(server, 'python')).json()) as Created;
    endLater(a);
    endLater(b);
    const base = new URL(`api/sessions/${a.id}/terminal`, server.url).href;
    expect(await upgradeStatus(base)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${b.token}`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${a.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(new URL(`api/sessions/AAAAAAAAAAAAAAAAAAAAAA/terminal?token=${a.token}`, server.url).href)).toBe(404);
    expect(await upgradeStatus(`${base}?token=${a.token}`, { origin: server.url.replace(/\/$/, '') })).toBe(101);
  });

  it('reports the isolation profile the host allows in /api/health', async () => {
    const health = (await (await fetch(new URL('api/health', server.url))).json()) as { sandboxes: { isolation: string } };
    const info = await docker.info();
    const sysbox = Object.keys((info as { Runtimes?: object }).Runtimes ?? {}).includes('sysbox-runc');
    // sysbox where its runtime is installed, else the capability profile; never --privileged.
    expect(health.sandboxes.isolation).toBe(sysbox ? 'sysbox' : 'capabilities');
  });

  it('validates requests at the edge', async () => {
    const bad = await createSession(server, 'vm');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('kind'),
    });
    const notJson = await fetch(new URL('api/sessions', server.url), { method: 'POST', body: 'kind=docker' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('caps the sessions of one client with 429 and Retry-After, never leaving a half-built session', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await createSession(server, 'python');
      statuses.push(res.status);
      if (res.status === 201) endLater((await res.json()) as Created);
      else {
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_many_sessions');
      }
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});

describe('sessions across a crash of the service', () => {
  it('re-adopts live sessions after kill -9, and removes sandboxes nobody owns', async () => {
    let server = await startServer({ ...serverEnv, DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '0' }, { sandboxes: true });
    const session = (await (await createSession(server, 'docker')).json()) as Created;
    let term = await openTerminal(server.url, session.id, session.token);
    term.type('docker volume create survives-kill && echo ok-$((2+2))\r');
    await term.waitFor('ok-4');
    await term.close();

    // An ownerless sandbox, as a crash mid-creation would leave.
    const orphan = await docker.createVolume({
      Name: 'dockyard-sbx-0rphan0000000000-docker',
      Labels: { 'dockyard.managed': 'true', 'dockyard.role': 'sandbox-storage', [LABEL_SANDBOX]: '0rphan0000000000', 'dockyard.instance': 'gone', 'dockyard.created': '0' },
    });

    // One made a moment ago by a process that has ended: nobody will finish it, so no grace.
    const deadOwner = spawnSync(process.execPath, ['-e', '0']).pid;
    const abandoned = await docker.createVolume({
      Name: 'dockyard-sbx-aband0ned0000000-docker',
      Labels: {
        'dockyard.managed': 'true',
        'dockyard.role': 'sandbox-storage',
        [LABEL_SANDBOX]: 'aband0ned0000000',
        'dockyard.instance': 'ended',
        'dockyard.created': String(Date.now()),
        [LABEL_OWNER]: ownerLabel(deadOwner),
      },
    });
    // One of a check still running in another process (this one), however old: not to be touched.
    const inUse = await docker.createVolume({
      Name: 'dockyard-sbx-1nuse00000000000-docker',
      Labels: {
        'dockyard.managed': 'true',
        'dockyard.role': 'sandbox-storage',
        [LABEL_SANDBOX]: '1nuse00000000000',
        'dockyard.instance': 'a-check',
        // An hour old: far past the grace for leftovers, well within the bound for a live owner.
        'dockyard.created': String(Date.now() - 3_600_000),
        [LABEL_OWNER]: ownerLabel(),
      },
    });

    server.kill('SIGKILL');
    await server.stop();
    server = await startServer({ ...serverEnv, DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '0' }, { sandboxes: true });
    try {
      await expect.poll(() => server.output(), { timeout: 30_000 }).toContain('re-adopted');
      const info = await fetch(new URL(`api/sessions/${session.id}`, server.url), {
        headers: { authorization: `Bearer ${session.token}` },
      });
      expect(info.status).toBe(200);
      term = await openTerminal(server.url, session.id, session.token);
      term.type('docker volume ls --format "vol={{.Name}}"\r');
      await term.waitFor('vol=survives-kill');
      await term.close();
      await expect(docker.getVolume(orphan.name).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(docker.getVolume(abandoned.name).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(docker.getVolume(inUse.name).inspect()).resolves.toMatchObject({ Name: inUse.name });
      const del = await fetch(new URL(`api/sessions/${session.id}`, server.url), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.token}` },
      });
      expect(del.status).toBe(204);
    } finally {
      await server.stop();
      await docker.getVolume(inUse.name).remove().catch(() => {});
    }
  });
});
