import { describe, expect, it } from 'vitest';
import { prewarmWanted, type PrewarmSettings } from './class-prewarm.ts';
import { shareOf } from './servers.ts';

const MIN = 60_000;
const nine = Date.parse('2026-12-02T09:00:00Z');
const settings: PrewarmSettings = { leadMs: 5 * MIN, holdMs: 10 * MIN, max: 50 };

describe('the class-start pre-warm planner', () => {
  it('wants one sandbox per student from the lead time before the start until the hold after it', () => {
    const starts = [{ startsAt: nine, students: 30 }];
    expect(prewarmWanted(starts, nine - 5 * MIN - 1, settings)).toBe(0);
    expect(prewarmWanted(starts, nine - 5 * MIN, settings)).toBe(30);
    expect(prewarmWanted(starts, nine, settings)).toBe(30);
    expect(prewarmWanted(starts, nine + 10 * MIN - 1, settings)).toBe(30);
    expect(prewarmWanted(starts, nine + 10 * MIN, settings)).toBe(0);
  });

  it('adds up classes whose windows overlap, and caps the sum at the maximum', () => {
    const starts = [
      { startsAt: nine, students: 30 },
      { startsAt: nine + 8 * MIN, students: 12 },
      { startsAt: nine + 12 * MIN, students: 25 },
    ];
    expect(prewarmWanted(starts, nine - MIN, settings)).toBe(30);
    // 09:03: the first is on, the second's lead has begun.
    expect(prewarmWanted(starts, nine + 3 * MIN, settings)).toBe(42);
    // 09:08: all three in their windows, 67 students, capped.
    expect(prewarmWanted(starts, nine + 8 * MIN, settings)).toBe(50);
    // 09:10: the first's hold is over.
    expect(prewarmWanted(starts, nine + 10 * MIN, settings)).toBe(37);
    expect(prewarmWanted(starts, nine + 22 * MIN, settings)).toBe(0);
    expect(prewarmWanted(starts, nine, { ...settings, max: 0 })).toBe(0);
  });

  it('is split over the servers sharing the engine, no sandbox lost or doubled', () => {
    const wanted = prewarmWanted([{ startsAt: nine, students: 31 }], nine, settings);
    const peers = ['a', 'b', 'c'];
    const shares = peers.map((id) => shareOf(2 + wanted, peers, id));
    expect(shares).toEqual([11, 11, 11]);
    expect(shares.reduce((a, b) => a + b)).toBe(33);
  });
});
