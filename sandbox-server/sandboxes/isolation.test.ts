import { describe, expect, it } from 'vitest';
import { chooseIsolation, detectIsolation, PRIVILEGED_REFUSED } from './isolation.ts';
import type Docker from 'dockerode';

describe('chooseIsolation', () => {
  it('prefers sysbox, else the capability profile; never --privileged', () => {
    expect(chooseIsolation({ sysboxRuntime: true })).toBe('sysbox');
    expect(chooseIsolation({ sysboxRuntime: false })).toBe('capabilities');
  });

  it('follows the operator when forced', () => {
    expect(chooseIsolation({ sysboxRuntime: true }, 'capabilities')).toBe('capabilities');
  });
});

describe('detectIsolation', () => {
  const engine = (runtimes: string[]) => ({ info: async () => ({ Runtimes: Object.fromEntries(runtimes.map((r) => [r, {}])) }) }) as unknown as Docker;

  it('picks sysbox only where its runtime is installed', async () => {
    expect(await detectIsolation(engine(['runc', 'sysbox-runc']), 'auto')).toBe('sysbox');
    expect(await detectIsolation(engine(['runc']), 'auto')).toBe('capabilities');
  });

  it('refuses the privileged profile, and anything unknown, with the variable named', async () => {
    await expect(detectIsolation(engine(['runc']), 'privileged')).rejects.toThrow(PRIVILEGED_REFUSED);
    await expect(detectIsolation(engine(['runc']), 'root')).rejects.toThrow(/DOCKYARD_ISOLATION/);
  });
});
