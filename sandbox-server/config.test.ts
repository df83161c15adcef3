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

  it('turns institutional sign-in on only with issuer, client id and secret together, naming what is missing', () => {
    expect(loadConfig({}).DOCKYARD_OIDC_ISSUER).toBeUndefined();
    const oidc = { DOCKYARD_OIDC_ISSUER: 'https://login.school.example', DOCKYARD_OIDC_CLIENT_ID: 'dockyard', DOCKYARD_OIDC_CLIENT_SECRET: 'a-secret-of-16-chars' };
    const on = loadConfig({ ...oidc, DOCKYARD_OIDC_INSTRUCTOR_EMAILS: ' Grace@School.example , ,ada@school.example' });
    expect(on.DOCKYARD_OIDC_ISSUER).toBe('https://login.school.example');
    expect(on.DOCKYARD_OIDC_INSTRUCTOR_EMAILS).toEqual(['grace@school.example', 'ada@school.example']);
    expect(() => loadConfig({ DOCKYARD_OIDC_ISSUER: oidc.DOCKYARD_OIDC_ISSUER })).toThrow(/DOCKYARD_OIDC_CLIENT_ID: set it too.*DOCKYARD_OIDC_CLIENT_SECRET: set it too/);
    expect(() => loadConfig({ ...oidc, DOCKYARD_OIDC_ISSUER: 'http://login.school.example' })).toThrow(/DOCKYARD_OIDC_ISSUER: use https/);
    expect(() => loadConfig({ ...oidc, DOCKYARD_OIDC_ISSUER: 'login.school.example' })).toThrow(/DOCKYARD_OIDC_ISSUER/);
    expect(() => loadConfig({ ...oidc, DOCKYARD_OIDC_CLIENT_SECRET: 'short' })).toThrow(/DOCKYARD_OIDC_CLIENT_SECRET/);
    // A provider on this machine may speak plain http.
    expect(loadConfig({ ...oidc, DOCKYARD_OIDC_ISSUER: 'http://127.0.0.1:9000' }).DOCKYARD_OIDC_ISSUER).toBe('http://127.0.0.1:9000');
  });

  it('keeps no sandbox unless told, and reads the keep days and the class bound by name', () => {
    expect(loadConfig({})).toMatchObject({ DOCKYARD_KEEP_DAYS: 0, DOCKYARD_KEEP_PER_CLASS: 0 });
    expect(loadConfig({ DOCKYARD_KEEP_DAYS: '7', DOCKYARD_KEEP_PER_CLASS: '30' })).toMatchObject({ DOCKYARD_KEEP_DAYS: 7, DOCKYARD_KEEP_PER_CLASS: 30 });
    for (const bad of ['-1', 'week', '1000']) expect(() => loadConfig({ DOCKYARD_KEEP_DAYS: bad })).toThrow(/DOCKYARD_KEEP_DAYS/);
    for (const bad of ['-1', '2.5']) expect(() => loadConfig({ DOCKYARD_KEEP_PER_CLASS: bad })).toThrow(/DOCKYARD_KEEP_PER_CLASS/);
  });
});
