import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_SANDBOX } from '../../sandbox-server/base/names.ts';
import { CheckService } from '../../sandbox-server/checkers/service.ts';
import { diskQuotaOf } from '../../sandbox-server/docker/disk-quota.ts';
import { SandboxDriver } from '../../sandbox-server/docker/driver.ts';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { baseImages } from '../../sandbox-server/exercises/base-images.ts';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { detectIsolation } from '../../sandbox-server/sandboxes/isolation.ts';

/**
 * One driver for sessions, pools and checks: the sandboxes the check pool makes are removed by the same driver,
 * so its disk watchdog stops watching each one as it goes, and never polls a sandbox that is gone.
 */

const docker = connectEngine();
const exercises = loadExercises(resolve(import.meta.dirname, '../../exercises')).exercises;
const exercise = exercises.find((e) => e.slug === 'dockerfile-python-app')!;
const solution = { Dockerfile: readFileSync(resolve(import.meta.dirname, '../../exercises/dockerfile-python-app/solution/Dockerfile'), 'utf8') };
const CHECKS = 3;

const driver = new SandboxDriver(docker, { diskQuota: diskQuotaOf(4096) });
const checks = new CheckService(driver, { pool: { size: 1, images: baseImages(exercises) } });

/** Sandboxes of this driver whose container still exists in the engine. */
async function liveSandboxes(): Promise<string[]> {
  const filters = JSON.stringify({ label: [`dockyard.instance=${driver.instanceId}`] });
  const list = await docker.listContainers({ all: true, filters });
  return list.map((c) => c.Labels[LABEL_SANDBOX]!).sort();
}

/** Waits until the check pool has a ready sandbox. */
async function poolReady(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (checks.pool.available < 1) {
    if (Date.now() > deadline) throw new Error('the check pool made no sandbox within 180 s');
    await checks.pool.fill();
    if (checks.pool.available < 1) await new Promise((r) => setTimeout(r, 500));
  }
}

describe('one driver: the disk watchdog after pooled checks', { timeout: 600_000 }, () => {
  afterAll(async () => {
    await checks.pool.drain();
    driver.disk?.stop();
  });

  it(`watches only live sandboxes after ${CHECKS} pooled Dockerfile checks`, async () => {
    driver.isolation = await detectIsolation(docker);
    await checks.pool.start();
    const used: string[] = [];
    for (let i = 0; i < CHECKS; i += 1) {
      await poolReady();
      const taken = checks.pool.ids();
      const verdict = await checks.check(exercise, solution);
      expect(verdict.status, verdict.message).toBe('pass');
      used.push(...taken);
    }
    // Every check started in a pooled sandbox, which is gone now, and no longer watched.
    expect(new Set(used).size).toBe(CHECKS);
    await poolReady();
    const live = await liveSandboxes();
    const watched = driver.disk!.watching().sort();
    for (const id of used) {
      expect(live).not.toContain(id);
      expect(watched).not.toContain(id);
    }
    expect(watched).toEqual(live);
    expect(watched).toEqual(checks.pool.ids().sort());
  });
});
