import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { LABEL_OWNER, LABEL_POOL, LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { openTerminal } from '../support/terminal-client.ts';

const docker = connectEngine();
const base = { DOCKYARD_SKIP_IMAGES: '1', DOCKYARD_POOL_PYTHON: '0', DOCKYARD_MAX_SESSIONS_PER_CLIENT: '3' };

interface Created {
  id: string;
  token: string;
}

async function createSession(server: RunningServer, kind: string): Promise<Created> {
  const res = await fetch(new URL('api/sessions', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Created;
}

/** The containers of sandboxes `server` made, with `labels` besides. */
async function sandboxesOf(server: RunningServer, labels: string[] = []): Promise<Docker.ContainerInfo[]> {
  const filters = JSON.stringify({ label: [`${LABEL_OWNER}=${hostname()}/${server.pid}`, LABEL_SANDBOX, ...labels] });
  return docker.listContainers({ all: true, filters });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 250))) {
    // A sandbox may go between listing and inspecting it (a pool resized): not found yet.
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

/** CPU time (ns) the container's cgroup has used so far, as the engine reports it. */
async function cpuNs(id: string): Promise<number> {
  const stats = (await docker.getContainer(id).stats({ stream: false })) as { cpu_stats: { cpu_usage: { total_usage: number } } };
  return stats.cpu_stats.cpu_usage.total_usage;
}

async function state(id: string): Promise<{ Paused: boolean; Running: boolean }> {
  return (await docker.getContainer(id).inspect()).State;
}

describe('frozen sandboxes', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('freezes a pooled docker sandbox (no CPU while it waits) and thaws it when a session claims it', async () => {
    const server = await startServer({ ...base, DOCKYARD_POOL_DOCKER: '1' }, { sandboxes: true });
    servers.push(server);
    const pooled = await waitFor('a frozen pooled sandbox', async () => {
      const [c] = await sandboxesOf(server, [`${LABEL_POOL}=docker`]);
      return c && (await state(c.Id)).Paused ? c : undefined;
    });
    // Its nested engine ticks 1–2 % of a core when running; frozen, it uses nothing at all.
    const before = await cpuNs(pooled.Id);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await cpuNs(pooled.Id)).toBe(before);

    const session = await createSession(server, 'docker');
    const sandboxId = pooled.Labels[LABEL_SANDBOX]!;
    const [claimed] = await sandboxesOf(server, [`${LABEL_SANDBOX}=${sandboxId}`]);
    expect(claimed?.Id).toBe(pooled.Id); // the pooled one was handed out
    expect(await state(pooled.Id)).toMatchObject({ Paused: false, Running: true });
    const thaw = await waitFor('the thaw logged', async () => /warm docker sandbox thawed in ([\d.]+) ms/.exec(server.output()) ?? undefined, 10_000);
    console.log(`pooled sandbox thawed in ${thaw[1]} ms`);

    const term = await openTerminal(server.url, session.id, session.token);
    term.type('docker run --rm busybox echo thawed-$((6*7))\r');
    await term.waitFor('thawed-42', 60_000);
    await term.close();
    await fetch(new URL(`api/sessions/${session.id}`, server.url), { method: 'DELETE', headers: { authorization: `Bearer ${session.token}` } });
  }, 300_000);

  it('freezes an idle session, and its next keystroke, Check or request thaws it with its nested engine and containers intact', async () => {
    const server = await startServer({ ...base, DOCKYARD_POOL_DOCKER: '0', DOCKYARD_FREEZE_IDLE_SECONDS: '3' }, { sandboxes: true });
    servers.push(server);
    const session = await createSession(server, 'docker');
    const auth = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' };
    const [sandbox] = await sandboxesOf(server);
    const term = await openTerminal(server.url, session.id, session.token);
    term.type('docker run -d --name keeper busybox sleep 100000 && echo started-$((6*7))\r');
    await term.waitFor('started-42', 60_000);

    await waitFor('the idle sandbox frozen', async () => ((await state(sandbox!.Id)).Paused ? true : undefined), 30_000);
    const before = await cpuNs(sandbox!.Id);
    // Frozen a while: the nested engine's own timers (containerd heartbeats) all overdue at the thaw. The page's
    // heartbeats keep the session but leave the sandbox frozen.
    for (let i = 0; i < 8; i++) {
      term.send({ type: 'ping' });
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(await cpuNs(sandbox!.Id)).toBe(before);
    expect((await state(sandbox!.Id)).Paused).toBe(true);

    const from = term.output().length;
    const typed = performance.now();
    term.type('echo typed-$((6*7))\r');
    await term.waitFor('typed-42', 10_000, from);
    console.log(`keystroke to echo on a frozen sandbox: ${Math.round(performance.now() - typed)} ms`);
    await waitFor('the thaw logged', async () => (/session \S+ thawed in [\d.]+ ms/.test(server.output()) ? true : undefined), 10_000);
    // (Output or input within the freeze time keeps it thawed: a long silent command would be frozen mid-way.)
    term.type('docker exec keeper echo nested-$((6*7)); docker run --rm busybox echo fresh-$((6*7))\r');
    await term.waitFor('fresh-42', 60_000, from);
    expect(term.output().slice(from)).toContain('nested-42');

    // Frozen again, then checked: the Check thaws it first and gets a real verdict.
    await waitFor('frozen again', async () => ((await state(sandbox!.Id)).Paused ? true : undefined), 30_000);
    const check = await fetch(new URL('api/exercises/terminal-shared-volume/check', server.url), {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ sessionId: session.id }),
    });
    expect(check.status).toBe(200);
    expect(((await check.json()) as { status: string }).status).toBe('fail');

    // A new terminal on a frozen sandbox opens at once, and a session lookup thaws it too.
    await waitFor('frozen once more', async () => ((await state(sandbox!.Id)).Paused ? true : undefined), 30_000);
    const second = await openTerminal(server.url, session.id, session.token);
    second.type('echo second-$((6*7))\r');
    await second.waitFor('second-42', 10_000);
    await second.close();
    await term.close();
    await waitFor('frozen with no terminal', async () => ((await state(sandbox!.Id)).Paused ? true : undefined), 30_000);
    expect((await fetch(new URL(`api/sessions/${session.id}`, server.url), { headers: auth })).status).toBe(200);
    expect((await state(sandbox!.Id)).Paused).toBe(false);
    await fetch(new URL(`api/sessions/${session.id}`, server.url), { method: 'DELETE', headers: auth });
  }, 400_000);

  it('removes a frozen sandbox when its session expires, leaving nothing behind', async () => {
    const server = await startServer({ ...base, DOCKYARD_POOL_DOCKER: '0', DOCKYARD_FREEZE_IDLE_SECONDS: '1', DOCKYARD_IDLE_MINUTES: '0.15' }, { sandboxes: true });
    servers.push(server);
    const session = await createSession(server, 'docker');
    const [sandbox] = await sandboxesOf(server);
    const sandboxId = sandbox!.Labels[LABEL_SANDBOX]!;
    await waitFor('the idle sandbox frozen', async () => ((await state(sandbox!.Id)).Paused ? true : undefined), 30_000);
    const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=${sandboxId}`] });
    await waitFor(
      'every object of the expired sandbox removed',
      async () => {
        const [c, v, n] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listVolumes({ filters }), docker.listNetworks({ filters })]);
        const marker = await docker.getVolume(`dockyard-session-${session.id}`).inspect().then(() => 1, () => 0);
        return c.length + (v.Volumes ?? []).length + n.length + marker === 0 ? true : undefined;
      },
      60_000,
    );
    expect(server.output()).toMatch(new RegExp(`session ${session.id} ended \\(idle\\)`));
  }, 200_000);
});
