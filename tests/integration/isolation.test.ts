import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { DEFAULT_LIMITS, SandboxDriver, sandboxNames, type Sandbox } from '../../sandbox-server/docker/driver.ts';

const docker = connectEngine();
const driver = new SandboxDriver(docker, {
  limits: {
    docker: { memoryBytes: 512 * 1024 * 1024, pidsLimit: 300, cpus: 1 },
    python: { memoryBytes: 128 * 1024 * 1024, pidsLimit: 64, cpus: 1 },
  },
});

/** Runs a shell command in the sandbox. */
const sh = (s: Sandbox, script: string, timeoutMs = 60_000) => driver.run(s, ['sh', '-c', script], { timeoutMs });

/** Every address this machine answers on that a sandbox could try: its bridges and its own interfaces. */
async function hostAddresses(s: Sandbox): Promise<string[]> {
  const addresses = new Set<string>();
  for (const name of [s.network, 'bridge', 'dockyard-mirror']) {
    if (!name) continue;
    const info = await docker.getNetwork(name).inspect();
    for (const cfg of info.IPAM?.Config ?? []) if (cfg.Gateway) addresses.add(cfg.Gateway);
  }
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) addresses.add(a.address);
  }
  return [...addresses];
}

describe('docker sandboxes', () => {
  let a: Sandbox;
  let b: Sandbox;
  let listener: Server;
  let port = 0;

  beforeAll(async () => {
    [a, b] = await Promise.all([driver.create('docker'), driver.create('docker')]);
    // A service on every host address, standing in for the Dockyard API and anything else the host runs.
    listener = createServer((_req, res) => res.end('host-service')).listen(0, '0.0.0.0');
    await new Promise((r) => listener.once('listening', r));
    port = (listener.address() as { port: number }).port;
  }, 180_000);
  afterAll(async () => {
    listener?.close();
    await Promise.all([a, b].filter(Boolean).map((s) => driver.remove(s)));
  });

  it('bounds a nested container by the sandbox memory limit (1 GiB allocation under 512 MiB is killed)', async () => {
    const r = await sh(a, `docker run --rm python:3.11-slim python3 -c "b = bytearray(1024*1024*1024); print('survived')"; echo "exit=$?"`, 120_000);
    expect(r.stdout).not.toContain('survived');
    expect(r.stdout).toContain('exit=137');
  });

  it('stops a fork bomb in a nested container at the sandbox pids limit; the host stays responsive and the sandbox recovers', async () => {
    const bomb = sh(a, `docker run --rm --name bomb busybox sh -c 'b() { b | b & }; b; sleep 20' >/dev/null 2>&1; echo done`, 120_000);
    await new Promise((r) => setTimeout(r, 4000));
    const started = Date.now();
    await docker.version();
    await driver.run(b, ['true']);
    const hostLatency = Date.now() - started;
    // Read from the host: a sandbox at its limit may not be able to start even `cat`.
    const stats = (await docker.getContainer(a.containerId).stats({ stream: false })) as { pids_stats?: { current?: number } };
    expect(stats.pids_stats?.current).toBeGreaterThan(0);
    expect(stats.pids_stats!.current!).toBeLessThanOrEqual(DEFAULT_LIMITS.docker.pidsLimit);
    expect(hostLatency).toBeLessThan(10_000);
    // The bomb ends with its container (its first process exits after 20 s); the sandbox then answers again.
    expect((await bomb).stdout).toContain('done');
    const deadline = Date.now() + 60_000;
    let answer = '';
    while (!answer.includes('back') && Date.now() < deadline) {
      answer = (await sh(a, 'echo back; docker rm -f bomb >/dev/null 2>&1 || true').catch(() => ({ stdout: '' }))).stdout;
      if (!answer.includes('back')) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(answer).toContain('back');
  }, 180_000);

  it('reaches the course mirror but not the host: no host service answers on any address', async () => {
    const pull = await sh(a, 'docker pull -q busybox && echo pulled');
    expect(pull.stdout).toContain('pulled');
    const addresses = await hostAddresses(a);
    expect(addresses.length).toBeGreaterThan(1);
    for (const address of addresses) {
      const r = await sh(a, `curl -s -m 3 http://${address}:${port}/ || echo unreachable`);
      expect(r.stdout, address).toContain('unreachable');
    }
    // Nested containers are no better off.
    const probe = `import urllib.request as u\ntry: print('reached', u.urlopen('http://${addresses[0]}:${port}/', timeout=3).read())\nexcept Exception as e: print('unreachable', e)`;
    const nested = await sh(a, `docker run --rm python:3.11-slim python3 -c "${probe}"`);
    expect(nested.stdout).toMatch(/^unreachable /m);
  });

  it('gives up on outside names at once, so pulls through the mirror never wait on them', async () => {
    const r = await sh(a, 'cat /etc/resolv.conf; getent hosts registry-1.docker.io || echo unresolved');
    expect(r.stdout).toMatch(/options .*timeout:1/);
    expect(r.stdout).toMatch(/options .*attempts:1/);
    expect(r.stdout).toContain('unresolved');
  });

  it('has a /28 network of its own from the sandbox range, so a class of sandboxes never runs out', async () => {
    const subnets = await Promise.all(
      [a, b].map(async (s) => (await docker.getNetwork(s.network!).inspect()).IPAM?.Config?.[0]?.Subnet ?? ''),
    );
    for (const subnet of subnets) expect(subnet).toMatch(/^10\.213\.\d+\.\d+\/28$/);
    expect(subnets[0]).not.toBe(subnets[1]);
  });

  it('cannot reach another sandbox', async () => {
    const inspect = await docker.getContainer(b.containerId).inspect();
    const addressOfB = Object.values(inspect.NetworkSettings.Networks)[0]?.IPAddress;
    expect(addressOfB).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const r = await sh(a, `ping -c 1 -W 2 ${addressOfB} >/dev/null 2>&1 && echo reached || echo unreachable`);
    expect(r.stdout).toContain('unreachable');
  });

  it("talks to its own engine, never the host's", async () => {
    const hostId = (await docker.info()).ID;
    const r = await sh(a, "docker info --format '{{.ID}}'");
    expect(r.stdout.trim()).not.toBe('');
    expect(r.stdout.trim()).not.toBe(hostId);
    const mounts = (await docker.getContainer(a.containerId).inspect()).Mounts.map((m) => m.Source);
    expect(mounts).not.toContain('/var/run/docker.sock');
    expect(mounts).not.toContain('/run/docker.sock');
  });

  it('leaves no container, volume or network behind when removed', async () => {
    const s = await driver.create('docker');
    await sh(s, 'docker volume create inner && docker run -d --name idle busybox sleep 600');
    await driver.remove(s);
    const names = sandboxNames(s.id);
    await expect(docker.getContainer(names.container).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(names.volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getNetwork(names.network).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const dangling = await docker.listVolumes({ filters: JSON.stringify({ dangling: ['true'] }) });
    expect((dangling.Volumes ?? []).filter((v) => !v.Labels || !v.Labels['dockyard.managed'])).toEqual([]);
  });
});

describe('python sandboxes', () => {
  let p: Sandbox;
  beforeAll(async () => {
    p = await driver.create('python');
  });
  afterAll(async () => {
    if (p) await driver.remove(p);
  });

  it('run as a non-root user with no capabilities and no new privileges', async () => {
    const r = await sh(p, "id -u; grep -E '^(CapEff|CapPrm|NoNewPrivs)' /proc/self/status");
    expect(r.stdout).toMatch(/^1000$/m);
    expect(r.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(r.stdout).toMatch(/CapPrm:\s+0000000000000000/);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it('have a read-only root, a small writable work folder and an init process', async () => {
    const r = await sh(p, 'touch /usr/x 2>/dev/null && echo root-writable; touch /work/x && echo work-ok; cat /proc/1/comm');
    expect(r.stdout).not.toContain('root-writable');
    expect(r.stdout).toContain('work-ok');
    expect(r.stdout).toMatch(/docker-init|tini/);
  });

  it('have no network but loopback', async () => {
    const r = await sh(p, 'ls /sys/class/net');
    expect(r.stdout.trim().split(/\s+/)).toEqual(['lo']);
    const py = await sh(p, `python3 -c "import socket; s=socket.socket(); s.settimeout(2); s.connect(('172.17.0.1', 80))" 2>&1 | tail -1`);
    expect(py.stdout).toMatch(/unreachable|Network is unreachable|Errno 101/i);
  });

  it('kill a process that allocates past the memory limit', async () => {
    const r = await sh(p, `python3 -c "b = bytearray(512*1024*1024); print('survived')"; echo "exit=$?"`);
    expect(r.stdout).not.toContain('survived');
    expect(r.stdout).toContain('exit=137');
  });

  it('get one CPU at most', async () => {
    const r = await sh(p, 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max');
    const [quota, period] = r.stdout.trim().split(/\s+/).map(Number);
    expect(quota).toBeGreaterThan(0);
    expect(quota! / period!).toBe(1);
  });

  it('stop forking at the pids limit', async () => {
    const r = await sh(
      p,
      `python3 -c "
import os, time
n = 0
try:
    for _ in range(500):
        if os.fork() == 0:
            time.sleep(5); os._exit(0)
        n += 1
except OSError:
    pass
print('forked', n)"`,
    );
    const forked = Number(r.stdout.match(/forked (\d+)/)?.[1] ?? -1);
    expect(forked).toBeGreaterThanOrEqual(0);
    expect(forked).toBeLessThan(64);
  });
});
