import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { WorkSlots } from './work-slots.ts';

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('work slots', () => {
  it("refuses a client over its share with 429 and Retry-After, and frees the slot when work ends", () => {
    const slots = new WorkSlots({ total: 10, perClient: 2 });
    const a1 = slots.take('a');
    slots.take('a');
    const err = refusal(() => slots.take('a'));
    expect([err.status, err.code, err.headers['Retry-After']]).toEqual([429, 'too_many_checks', '2']);
    expect(slots.take('b')).toBeTypeOf('function');
    a1();
    a1(); // a second release gives nothing more back
    expect(slots.inFlight('a')).toBe(1);
    expect(slots.take('a')).toBeTypeOf('function');
    expect(slots.inFlight()).toBe(3);
  });

  it('refuses everyone with 503 when the server is full, and forgets clients with nothing in flight', () => {
    const slots = new WorkSlots({ total: 2, perClient: 2 });
    const releases = [slots.take('a'), slots.take('b')];
    const err = refusal(() => slots.take('c'));
    expect([err.status, err.code, err.headers['Retry-After']]).toEqual([503, 'checks_busy', '5']);
    for (const r of releases) r();
    expect([slots.inFlight(), slots.inFlight('a'), slots.inFlight('b')]).toEqual([0, 0, 0]);
    expect(slots.take('c')).toBeTypeOf('function');
  });

  it('rejects limits that are not whole numbers ≥ 1', () => {
    expect(() => new WorkSlots({ total: 0, perClient: 1 })).toThrow(/total must be/);
    expect(() => new WorkSlots({ total: 4, perClient: 1.5 })).toThrow(/perClient must be/);
  });
});
