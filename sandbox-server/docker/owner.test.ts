import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ownerAlive, ownerLabel } from './owner.ts';

describe('owner labels', () => {
  it('names this process on this host', () => {
    expect(ownerLabel()).toBe(`${hostname()}/${process.pid}`);
    expect(ownerAlive(ownerLabel())).toBe(true);
  });

  it('tells a process that has ended', () => {
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(ownerAlive(ownerLabel(ended))).toBe(false);
  });

  it('cannot tell about another host or a label it does not understand', () => {
    expect(ownerAlive(`elsewhere/${process.pid}`)).toBeUndefined();
    expect(ownerAlive(undefined)).toBeUndefined();
    expect(ownerAlive('nonsense')).toBeUndefined();
  });
});
