import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_DISK_MB, diskQuotaFromEnv, diskQuotaMessage } from './disk-quota.ts';

describe('diskQuotaFromEnv', () => {
  it('bounds each docker sandbox at 4 GiB by default', () => {
    expect(diskQuotaFromEnv({})).toMatchObject({ bytes: DEFAULT_SANDBOX_DISK_MB * 1024 * 1024 });
    expect(DEFAULT_SANDBOX_DISK_MB).toBe(4096);
  });

  it('takes DOCKYARD_SANDBOX_DISK_MB in MiB, 0 for no bound', () => {
    expect(diskQuotaFromEnv({ DOCKYARD_SANDBOX_DISK_MB: '512' })).toMatchObject({ bytes: 512 * 1024 * 1024 });
    expect(diskQuotaFromEnv({ DOCKYARD_SANDBOX_DISK_MB: '0' })).toBe(false);
  });

  it('refuses a bad value, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'lots', '2GB']) {
      expect(() => diskQuotaFromEnv({ DOCKYARD_SANDBOX_DISK_MB: bad })).toThrow(/DOCKYARD_SANDBOX_DISK_MB/);
    }
  });
});

describe('diskQuotaMessage', () => {
  it('tells the student the bound and what to do', () => {
    expect(diskQuotaMessage(300 * 1024 * 1024)).toMatch(/more than 300 MiB.*reload the page/s);
  });
});
