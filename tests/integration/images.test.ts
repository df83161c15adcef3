import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { ensureImages, imageStatus, KIT, KitBuildError, LABEL_HASH, LABEL_STAND_IN, type EnsureResult } from '../../sandbox-server/images/index.ts';
import { buildDockerfileImage } from '../../sandbox-server/images/build.ts';

const docker = connectEngine();
const suffix = randomBytes(4).toString('hex');
const created: string[] = [];
let firstRun: EnsureResult;

/** Strips the 8-byte frame headers of a non-TTY container's log buffer. */
function demux(buf: Buffer): string {
  let out = '';
  for (let i = 0; i + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}

/** Runs a command in a fresh container like `docker run --rm`; returns exit code and output, and removes it. */
async function runOnce(image: string, cmd: string[] | undefined, name: string): Promise<{ code: number; output: string }> {
  const fullName = `dockyard-test-${name}-${suffix}`;
  created.push(fullName);
  const container = await docker.createContainer({ name: fullName, Image: image, ...(cmd ? { Cmd: cmd } : {}), Labels: { 'dockyard.test': 'images' } });
  await container.start();
  const { StatusCode } = (await container.wait()) as { StatusCode: number };
  const output = demux(await container.logs({ stdout: true, stderr: true }));
  await container.remove({ force: true, v: true });
  return { code: StatusCode, output };
}

async function exists(name: string): Promise<boolean> {
  return docker.getContainer(name).inspect().then(() => true, () => false);
}

describe('the offline image kit', () => {
  beforeAll(async () => {
    firstRun = await ensureImages(docker, { onProgress: (line) => console.log(line) });
  }, 1_800_000);

  afterAll(async () => {
    for (const name of created) await docker.getContainer(name).remove({ force: true, v: true }).catch(() => {});
  });

  it('is ready after ensureImages: every image current and the mirror serving', async () => {
    const status = await imageStatus(docker);
    expect(status.missing).toEqual([]);
    expect(status.ready).toBe(true);
  });

  it('runs python:3.11-slim: python3 imports asyncio, python is Python 3.11, and the container is removed', async () => {
    const asyncio = await runOnce('python:3.11-slim', ['python3', '-c', 'import asyncio; print("asyncio ok")'], 'py');
    expect(asyncio).toEqual({ code: 0, output: expect.stringContaining('asyncio ok') });
    const version = await runOnce('python:3.11-slim', ['python', '--version'], 'pyver');
    expect(version.output).toMatch(/^Python 3\.11\./);
    expect(await exists(`dockyard-test-py-${suffix}`)).toBe(false);
  });

  it('runs busybox from scratch, and removes the container', async () => {
    const result = await runOnce('busybox', ['sh', '-c', 'echo hi from $(busybox | head -1 | cut -d" " -f1-2)'], 'bb');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/hi from BusyBox v1\./);
    expect(await exists(`dockyard-test-bb-${suffix}`)).toBe(false);
  });

  it('runs hello-world, which says it is a stand-in', async () => {
    const result = await runOnce('hello-world', undefined, 'hello');
    expect(result.code).toBe(0);
    expect(result.output).toContain('Hello from Docker!');
    expect(result.output).toContain("Dockyard's offline stand-in");
  });

  it('labels stand-ins as such and exposes the usual ports', async () => {
    const inspect = (ref: string) => docker.getImage(ref).inspect();
    const expected: Array<[string, string | undefined]> = [
      ['redis:7', '6379/tcp'], ['nginx:latest', '80/tcp'], ['registry:2', '5000/tcp'], ['busybox:latest', undefined],
      ['debian:bookworm-slim', undefined], ['python:3.11-slim-bookworm', undefined], ['hello-world:latest', undefined],
    ];
    for (const [ref, port] of expected) {
      const info = await inspect(ref);
      const labels = info.Config.Labels ?? {};
      expect(labels[LABEL_STAND_IN], ref).toBe('true');
      expect(labels['org.opencontainers.image.description'], ref).toMatch(/stand-in/);
      expect(labels[LABEL_HASH], ref).toMatch(/^sha256:/);
      if (port) expect(Object.keys(info.Config.ExposedPorts ?? {}), ref).toContain(port);
    }
    const sandbox = await inspect('dockyard/sandbox-python:latest');
    expect(sandbox.Config.User).toBe('student');
    expect(sandbox.Config.Labels?.[LABEL_STAND_IN]).toBe('false');
  });

  it('runs the sandbox-python image as uid 1000', async () => {
    const result = await runOnce('dockyard/sandbox-python', ['sh', '-c', 'id -u; pwd; python3 -c "print(1+1)"'], 'sbxpy');
    expect(result.output.split('\n').slice(0, 3)).toEqual(['1000', '/home/student/work', '2']);
  });

  it('names the image and the failing step when a build fails', async () => {
    const began = Math.floor(Date.now() / 1000) - 1;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kit-broken-'));
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN echo before\nRUN echo about to fail && exit 3\n');
    const ref = `dockyard-test/broken-${suffix}:latest`;
    const image = { ref, tags: [ref], dir, source: 'dockerfile' as const, studentFacing: false, standIn: false };
    const lines: string[] = [];
    const failure = await buildDockerfileImage(docker, image, { contextDir: dir, hash: 'sha256:test', onOutput: (l) => lines.push(l) })
      .then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(KitBuildError);
    const message = (failure as Error).message;
    expect(message).toContain(`building ${ref} failed at "Step 3/`);
    expect(message).toContain('exit 3');
    expect(message).toMatch(/non-zero code: 3/);
    expect(message).toContain('about to fail');
    expect(lines[0]).toMatch(/^Step 1\/\d+: FROM debian:bookworm-slim$/);
    await docker.getImage(ref).remove().catch(() => {});
    // The failed build leaves its cached first step behind, untagged: remove what appeared since it began.
    const leftovers = await docker.listImages({ filters: { dangling: ['true'] } });
    for (const img of leftovers.filter((i) => i.Created >= began)) await docker.getImage(img.Id).remove().catch(() => {});
  });

  it('builds nothing the second time: the hash labels hold', async () => {
    const lines: string[] = [];
    const second = await ensureImages(docker, { onProgress: (line) => lines.push(line) });
    expect(second.built).toEqual([]);
    expect(second.mirrorSeeded).toBe(false);
    // Every image, the mirror and the package index.
    expect(lines.filter((l) => /up to date/.test(l))).toHaveLength(KIT.length + 2);
    expect(firstRun.skipped.length + firstRun.built.length).toBe(KIT.length);
  });

  it('runs busybox wget against another container by name on a user-defined network, and fails cleanly on a closed port', async () => {
    const netName = `dockyard-test-net-${suffix}`;
    const web = `dockyard-test-web-${suffix}`;
    const labels = { 'dockyard.test': 'images' };
    const network = await docker.createNetwork({ Name: netName, Driver: 'bridge', Labels: labels });
    /** `docker run --rm --network NET busybox CMD`: exit code and output. */
    const wget = async (name: string, cmd: string[]): Promise<{ code: number; output: string }> => {
      const fullName = `dockyard-test-${name}-${suffix}`;
      created.push(fullName);
      const c = await docker.createContainer({ name: fullName, Image: 'busybox', Cmd: cmd, Labels: labels, HostConfig: { NetworkMode: netName } });
      await c.start();
      const { StatusCode } = (await c.wait()) as { StatusCode: number };
      const output = demux(await c.logs({ stdout: true, stderr: true }));
      await c.remove({ force: true, v: true });
      return { code: StatusCode, output };
    };
    try {
      created.push(web);
      const nginx = await docker.createContainer({ name: web, Image: 'nginx:latest', Labels: labels, HostConfig: { NetworkMode: netName } });
      await nginx.start();
      // nginx needs a moment to listen: retry, but the last try's exit code is the answer.
      const ok = await wget('bbwget', ['sh', '-c', `for i in 1 2 3 4 5 6 7 8 9; do wget -q -T 3 -O- http://${web}/ 2>/dev/null && exit 0; sleep 0.5; done; exec wget -q -T 3 -O- http://${web}/`]);
      expect(ok.code, ok.output).toBe(0);
      expect(ok.output).toMatch(/nginx/i);
      // Debian's busybox-static took -T through a NULL pointer: "Segmentation fault", exit 139.
      const closed = await wget('bbwget-closed', ['wget', '-T', '3', '-O-', `http://${web}:81/`]);
      expect(closed.output).not.toMatch(/Segmentation fault/);
      expect(closed.code, closed.output).toBe(1);
      expect(closed.output).toMatch(/can't connect to remote host/);
    } finally {
      await docker.getContainer(web).remove({ force: true, v: true }).catch(() => {});
      await network.remove().catch(() => {});
    }
    expect(await exists(web)).toBe(false);
    const left = await docker.listNetworks({ filters: { name: [netName] } });
    expect(left.filter((n) => n.Name === netName)).toEqual([]);
  });
});
