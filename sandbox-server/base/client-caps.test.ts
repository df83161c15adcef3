import { describe, expect, it } from 'vitest';
import { CapReached, ClientCaps } from './client-caps.ts';

describe('ClientCaps', () => {
  it("refuses a client over its own cap first, then anyone over the total, and gives places back once", () => {
    const caps = new ClientCaps({ total: 3, perClient: 2 });
    const a = caps.take('a');
    caps.take('a');
    expect(() => caps.take('a')).toThrow(expect.objectContaining({ scope: 'client' }));
    caps.take('b');
    expect(() => caps.take('c')).toThrow(CapReached);
    expect(() => caps.take('c')).toThrow(expect.objectContaining({ scope: 'total' }));
    a();
    a();
    expect([caps.held(), caps.held('a')]).toEqual([2, 1]);
    expect(caps.take('c')).toBeTypeOf('function');
  });

  it('counts what is already held whatever the caps (found again after a restart)', () => {
    const caps = new ClientCaps({ total: 1, perClient: 1 });
    caps.take('a');
    const again = caps.hold('a');
    expect([caps.held(), caps.held('a')]).toEqual([2, 2]);
    again();
    expect(caps.held('a')).toBe(1);
  });

  it('rejects limits that are not whole numbers ≥ 1', () => {
    expect(() => new ClientCaps({ total: 0, perClient: 1 })).toThrow(/total must be/);
  });
});
