import { describe, expect, it } from 'vitest';
import { chooseIsolation } from './isolation.ts';

describe('chooseIsolation', () => {
  it('prefers sysbox, then --privileged, then the capability profile', () => {
    expect(chooseIsolation({ sysboxRuntime: true, privilegedWorks: true })).toBe('sysbox');
    expect(chooseIsolation({ sysboxRuntime: false, privilegedWorks: true })).toBe('privileged');
    expect(chooseIsolation({ sysboxRuntime: false, privilegedWorks: false })).toBe('capabilities');
  });

  it('follows the operator when forced', () => {
    expect(chooseIsolation({ sysboxRuntime: true, privilegedWorks: true }, 'capabilities')).toBe('capabilities');
  });
});
