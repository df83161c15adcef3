import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { ensureImages, MIRROR_CONTAINER, MIRROR_NETWORK } from '../../sandbox-server/images/index.ts';
import { dockerSandboxCreateOptions } from '../../sandbox-server/sandboxes/docker-profile.ts';

const docker = connectEngine();
const name = `dockyard-test-mirror-${randomBytes(4).toString('hex')}`;
const volume = `${name}-docker`;
const MEMORY = 768 * 1024 ** 2;

/** Runs a command in the sandbox like `docker exec`; returns its exit code and combined output. */
async function sh(script: string, timeoutMs = 90_000): Promise<{ code: number; output: string }> {
  const exec = await docker.getContainer(name).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  let output = '';
  sink.on('data', (d: Buffer) => { output += d.toString('utf8'); });
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${script}" did not finish within ${timeoutMs} ms: ${output}`)), timeoutMs);
    stream.on('end', () => { clearTimeout(timer); resolve(); });
    stream.on('error', (err) => { clearTimeout(timer); reject(err); });
  });
  const { ExitCode } = await exec.inspect();
  return { code: ExitCode ?? -1, output };
}

describe('the course mirror, seen from a docker sandbox', () => {
  beforeAll(async () => {
    await ensureImages(docker, { onProgress: (line) => console.log(line) });
    const container = await docker.createContainer(
      dockerSandboxCreateOptions({ name, dockerDataVolume: volume, memoryBytes: MEMORY, pidsLimit: 2048, labels: { 'dockyard.test': 'mirror' } }),
    );
    await container.start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await sh('dockyard-ready').catch(() => ({ code: -1, output: '' }));
      if (ready.code === 0) break;
      const info = await container.inspect();
      if (!info.State.Running || Date.now() > deadline) {
        const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
        throw new Error(`the sandbox's nested engine never became ready (running: ${info.State.Running}):\n${logs}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 1_800_000);

  afterAll(async () => {
    const container = docker.getContainer(name);
    // A clean stop lets the nested engine remove its containers and cgroups first.
    await container.stop({ t: 15 }).catch(() => {});
    await container.remove({ force: true, v: true }).catch(() => {});
    await docker.getVolume(volume).remove({ force: true }).catch(() => {});
  }, 60_000);

  it('runs the read-only mirror on its network', async () => {
    const info = await docker.getContainer(MIRROR_CONTAINER).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(Object.keys(info.NetworkSettings.Networks)).toContain(MIRROR_NETWORK);
    expect(info.Config.Env).toContain('REGISTRY_STORAGE_MAINTENANCE_READONLY={"enabled":true}');
  });

  it('starts the nested engine with the mirror and its own cgroup as parent', async () => {
    const ready = await sh('cat /run/dockyard-ready; docker info --format "{{json .RegistryConfig.Mirrors}}"');
    expect(ready.code).toBe(0);
    // Relative to the sandbox's own cgroup namespace: `/inner` itself, or below it.
    expect(ready.output).toMatch(/cgroup-parent=\/(.+\/)?inner/);
    expect(ready.output).toContain('http://dockyard-mirror:5000/');
  });

  it('pulls busybox and python:3.11-slim "from Docker Hub" through the mirror', async () => {
    const busybox = await sh('docker pull busybox');
    expect(busybox.output).toMatch(/Downloaded newer image for busybox:latest|Image is up to date/);
    expect(busybox.code).toBe(0);
    const python = await sh('docker pull python:3.11-slim');
    expect(python.code, python.output).toBe(0);
  });

  it('runs a nested container: docker run --rm busybox echo hi', async () => {
    const run = await sh('docker run --rm busybox echo hi && docker ps -aq | wc -l');
    expect(run.code, run.output).toBe(0);
    expect(run.output.trim().split('\n')).toEqual(['hi', '0']);
  });

  it('refuses a push to the mirror (read-only)', async () => {
    const push = await sh('docker tag busybox dockyard-mirror:5000/library/busybox:pwned && docker push dockyard-mirror:5000/library/busybox:pwned');
    expect(push.code).not.toBe(0);
    expect(push.output).toMatch(/unsupported|read-only|405|method not allowed/i);
    const tags = await sh('curl -fsS http://dockyard-mirror:5000/v2/library/busybox/tags/list');
    expect(tags.code).toBe(0);
    expect(tags.output).toContain('latest');
    expect(tags.output).not.toContain('pwned');
  });

  it('bounds nested containers by the sandbox memory limit (cgroup parent)', async () => {
    const cgroup = await sh('docker run --rm busybox cat /proc/self/cgroup');
    expect(cgroup.output).toMatch(/memory:\/(.+\/)?inner\/[0-9a-f]{64}/);
    // 1 GiB written in a nested container under a 768 MiB sandbox: the kernel OOM-kills it (137).
    const hog = await sh(`docker run --rm python:3.11-slim python3 -c "b = b'x' * (1 << 30); print('survived', len(b))"; echo "exit=$?"`);
    expect(hog.output).not.toContain('survived');
    expect(hog.output).toContain('exit=137');
  }, 180_000);
});
