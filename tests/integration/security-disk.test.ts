import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { DiskQuotaExceeded, SandboxDriver, sandboxNames, type Sandbox } from '../../sandbox-server/docker/driver.ts';
import { asStudent } from '../support/security.ts';

/**
 * The disk bound of docker sandboxes (docs/security.md, "Disk"). A small bound and a fast check
 * here; the service's defaults are 4096 MiB and 5 s (DOCKYARD_SANDBOX_DISK_MB).
 */
const QUOTA_MB = 256;
const FILL_MB = 2048;
const docker = connectEngine();
const logs: string[] = [];
const driver = new SandboxDriver(docker, {
  limits: { docker: { memoryBytes: 768 * 1024 * 1024, pidsLimit: 512, cpus: 1 } },
  diskQuota: { bytes: QUOTA_MB * 1024 * 1024, intervalMs: 1000 },
  log: (line) => logs.push(line),
});

const exists = (p: Promise<unknown>) => p.then(() => true, () => false);

/** Opens a student terminal, types `command`, and waits for the bound to stop the sandbox. */
async function fillUntilStopped(s: Sandbox, command: string): Promise<{ output: string; caughtMs: number; usedMiB: number }> {
  const tty = await driver.openTty(s, { cols: 200, rows: 50 });
  let output = '';
  tty.stream.on('data', (d: Buffer) => (output += d.toString('utf8')));
  tty.stream.on('error', () => {});
  const started = Date.now();
  tty.stream.write(`${command}\r`);
  await expect.poll(() => output, { timeout: 120_000, interval: 100 }).toMatch(/Dockyard stopped this sandbox/);
  const caughtMs = Date.now() - started;
  const line = logs.find((l) => l.includes(`sandbox ${s.id} stores`)) ?? '';
  const usedMiB = Number(line.match(/stores (\d+) MiB/)?.[1] ?? NaN);
  console.log(`[disk] "${command}" caught after ${caughtMs} ms at ${usedMiB} MiB (bound ${QUOTA_MB} MiB)`);
  await tty.close().catch(() => {});
  return { output, caughtMs, usedMiB };
}

describe('the disk bound of docker sandboxes', () => {
  let nested: Sandbox;
  let layer: Sandbox;

  beforeAll(async () => {
    [nested, layer] = await Promise.all([driver.create('docker'), driver.create('docker')]);
    const pulled = await asStudent(driver, nested, 'docker pull -q busybox', 180_000);
    expect(pulled.exitCode, pulled.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    driver.disk?.stop();
    await Promise.all([nested, layer].filter(Boolean).map((s) => driver.remove(s)));
  });

  it('leaves a sandbox under its bound alone', async () => {
    await new Promise((r) => setTimeout(r, 3000));
    expect(await driver.isRunning(nested)).toBe(true);
    expect(logs.filter((l) => l.includes(nested.id))).toEqual([]);
  });

  it("stops a sandbox that fills its nested engine's storage, tells the student, and gives the disk back", async () => {
    const { usedMiB, caughtMs } = await fillUntilStopped(nested, `docker run --rm busybox dd if=/dev/zero of=/fill bs=1M count=${FILL_MB}`);
    expect(usedMiB).toBeGreaterThan(QUOTA_MB);
    expect(usedMiB).toBeLessThan(FILL_MB);
    expect(caughtMs).toBeLessThan(120_000);
    const names = sandboxNames(nested.id);
    // Removed with its storage: the host has its disk back at once.
    await expect.poll(() => exists(docker.getVolume(names.volume).inspect()), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => exists(docker.getContainer(names.container).inspect()), { timeout: 30_000 }).toBe(false);
    // The session cannot bring it back, and a new terminal says why.
    expect(await driver.ensureRunning(nested)).toBe(false);
    await expect(driver.openTty(nested, { cols: 80, rows: 24 })).rejects.toBeInstanceOf(DiskQuotaExceeded);
    await expect(driver.openTty(nested, { cols: 80, rows: 24 })).rejects.toThrow(/more than 256 MiB.*reload the page/s);
  }, 180_000);

  it("also counts what the student writes to the sandbox's own filesystem", async () => {
    const { usedMiB } = await fillUntilStopped(layer, `dd if=/dev/zero of=/root/fill bs=1M count=${FILL_MB}`);
    expect(usedMiB).toBeGreaterThan(QUOTA_MB);
    await expect.poll(() => exists(docker.getContainer(sandboxNames(layer.id).container).inspect()), { timeout: 30_000 }).toBe(false);
  }, 180_000);
});
