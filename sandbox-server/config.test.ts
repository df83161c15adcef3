import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4321);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.siteDir.endsWith('dist/site')).toBe(true);
  });

  it('reads PORT from the environment', () => {
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('keeps data in data/ unless told, and takes only a PostgreSQL URL', () => {
    expect(loadConfig({}).dataDir.endsWith('/data')).toBe(true);
    expect(loadConfig({ DOCKYARD_DATA_DIR: '/srv/dockyard' }).dataDir).toBe('/srv/dockyard');
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/dockyard' }).DATABASE_URL).toBe('postgres://u:p@db/dockyard');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/dockyard' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DOCKYARD_ADMIN_TOKEN: 'short' })).toThrow(/DOCKYARD_ADMIN_TOKEN/);
    expect(() => loadConfig({ DOCKYARD_PUBLIC_URL: 'ftp://x' })).toThrow(/DOCKYARD_PUBLIC_URL/);
    expect(loadConfig({ DOCKYARD_PUBLIC_URL: 'https://dockyard.school.example' }).DOCKYARD_PUBLIC_URL).toBe('https://dockyard.school.example');
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('reads the disk bound once, in MiB, refusing a bad value by name', () => {
    expect(loadConfig({}).DOCKYARD_SANDBOX_DISK_MB).toBe(4096);
    expect(loadConfig({ DOCKYARD_SANDBOX_DISK_MB: '0' }).DOCKYARD_SANDBOX_DISK_MB).toBe(0);
    for (const bad of ['-1', '1.5', 'lots', '2GB']) {
      expect(() => loadConfig({ DOCKYARD_SANDBOX_DISK_MB: bad })).toThrow(/DOCKYARD_SANDBOX_DISK_MB/);
    }
  });
});
