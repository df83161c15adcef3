import { describe, expect, it } from 'vitest';
import { fakeDriver } from '../../tests/support/fake-driver.ts';
import { LABEL_POOL } from '../base/names.ts';
import { WarmPool } from './warm-pool.ts';

describe('warm pool', () => {
  it('labels its sandboxes with its name and readies each before offering it', async () => {
    const { driver, live } = fakeDriver();
    const prepared: string[] = [];
    const pool = new WarmPool(driver, 'docker', 2, () => {}, {
      name: 'check',
      labels: { 'dockyard.check': 'sandbox' },
      prepare: async (s) => void prepared.push(s.id),
    });
    await pool.start();
    expect(pool.available).toBe(2);
    expect(prepared).toEqual(pool.ids());
    for (const labels of live.values()) expect(labels).toEqual({ 'dockyard.check': 'sandbox', [LABEL_POOL]: 'check' });
    const taken = await pool.take();
    expect(prepared).toContain(taken?.id);
    await pool.drain();
  });

  it('freezes each sandbox once ready and thaws the one it hands out, unless told not to', async () => {
    const { driver, frozen } = fakeDriver();
    const thaws: number[] = [];
    const pool = new WarmPool(driver, 'docker', 2, () => {}, { onThaw: (ms) => thaws.push(ms) });
    await pool.start();
    expect([...frozen].sort()).toEqual(pool.ids().sort());
    const taken = await pool.take();
    expect(frozen.has(taken!.id)).toBe(false);
    expect(thaws).toEqual([1]);
    await pool.drain();

    const unfrozen = fakeDriver();
    const plain = new WarmPool(unfrozen.driver, 'docker', 1, () => {}, { freeze: false });
    await plain.start();
    expect(unfrozen.frozen.size).toBe(0);
    await plain.drain();
  });

  it('discards a sandbox whose preparation failed, and stops after three failures in a row', async () => {
    const { driver, live, removed } = fakeDriver();
    const errors: string[] = [];
    const pool = new WarmPool(driver, 'docker', 1, (err) => errors.push((err as Error).message), {
      prepare: async () => {
        throw new Error('pull failed');
      },
    });
    await pool.start();
    expect(pool.available).toBe(0);
    expect(errors).toEqual(['pull failed', 'pull failed', 'pull failed']);
    expect(removed).toHaveLength(3);
    expect(live.size).toBe(0);
    expect(await pool.take()).toBeUndefined();
    await pool.drain();
  });

  it('without a name, labels sandboxes with their kind', async () => {
    const { driver, live } = fakeDriver();
    const pool = new WarmPool(driver, 'python', 1);
    await pool.start();
    expect([...live.values()]).toEqual([{ [LABEL_POOL]: 'python' }]);
    await pool.drain();
    expect(live.size).toBe(0);
  });

  it('grows and shrinks to a new size, also while a sandbox is being made', async () => {
    const { driver, live } = fakeDriver({ createDelayMs: 20 });
    const pool = new WarmPool(driver, 'python', 2);
    const filling = pool.start();
    await new Promise((r) => setTimeout(r, 5));
    // Another server joined the engine mid-fill: this one keeps one.
    await pool.resize(1);
    await filling;
    expect(pool.available).toBe(1);
    expect(live.size).toBe(1);
    await pool.resize(3);
    await pool.fill();
    expect(pool.available).toBe(3);
    await pool.resize(0);
    expect([pool.available, live.size]).toEqual([0, 0]);
    await pool.drain();
  });
});
