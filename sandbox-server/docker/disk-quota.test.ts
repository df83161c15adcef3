import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_DISK_MB, diskQuotaMessage, diskQuotaOf } from './disk-quota.ts';

describe('diskQuotaOf', () => {
  it('bounds each docker sandbox at 4 GiB by default', () => {
    expect(diskQuotaOf(DEFAULT_SANDBOX_DISK_MB)).toMatchObject({ bytes: 4096 * 1024 * 1024 });
    expect(DEFAULT_SANDBOX_DISK_MB).toBe(4096);
  });

  it('takes MiB, 0 for no bound', () => {
    expect(diskQuotaOf(512)).toMatchObject({ bytes: 512 * 1024 * 1024 });
    expect(diskQuotaOf(0)).toBe(false);
    expect(() => diskQuotaOf(-1)).toThrow(RangeError);
  });
});

describe('diskQuotaMessage', () => {
  it('tells the student the bound and what to do', () => {
    expect(diskQuotaMessage(300 * 1024 * 1024)).toMatch(/more than 300 MiB.*reload the page/s);
  });
});
