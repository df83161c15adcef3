import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const policy = { baseMs: 500, maxMs: 15_000, jitter: 0 };
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, policy))).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });
  it('spreads by at most the jitter and never exceeds the cap', () => {
    const withJitter = { ...policy, jitter: 0.2 };
    expect(backoffDelay(1, withJitter, () => 0)).toBe(800);
    expect(backoffDelay(1, withJitter, () => 0.999999)).toBe(1200);
    expect(backoffDelay(20, withJitter, () => 0.999999)).toBe(15_000);
  });
});
