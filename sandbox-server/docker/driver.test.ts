import { describe, expect, it } from 'vitest';
import { randomSandboxSubnet } from './driver.ts';

describe('randomSandboxSubnet', () => {
  it('draws aligned /28 blocks of 10.213.0.0/16', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const subnet = randomSandboxSubnet();
      const m = subnet.match(/^10\.213\.(\d+)\.(\d+)\/28$/);
      expect(m, subnet).not.toBeNull();
      expect(Number(m![1])).toBeLessThan(256);
      expect(Number(m![2]) % 16).toBe(0);
      seen.add(subnet);
    }
    expect(seen.size).toBeGreaterThan(1000);
  });
});
