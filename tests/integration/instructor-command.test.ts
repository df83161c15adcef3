import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { redeemSignInLink } from '../../sandbox-server/classroom/accounts.ts';
import { projectRoot } from '../../sandbox-server/config.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const run = promisify(execFile);

describe.each(DATABASES)('npm run instructor:new on $name', ({ open }) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.dispose();
    test = undefined;
  });

  it('makes the instructor in the configured database and prints a link that signs them in once', async () => {
    test = await open();
    const env = { ...process.env, DOCKYARD_DATA_DIR: test.settings.dataDir || '/nonexistent', DATABASE_URL: test.settings.url ?? '', DOCKYARD_PUBLIC_URL: 'https://dockyard.school.example' };
    if (!test.settings.url) delete (env as Record<string, string | undefined>).DATABASE_URL;
    const args = ['scripts/instructor-new.ts', '--email', 'grace@example.org', '--name', 'Grace Hopper'];
    const { stdout } = await run(process.execPath, args, { cwd: projectRoot, env });
    const url = /https:\/\/dockyard\.school\.example\/sign-in\?token=(\S+)/.exec(stdout);
    expect(url, stdout).not.toBeNull();
    const user = await redeemSignInLink(test.database.db, decodeURIComponent(url![1]!));
    expect(user).toMatchObject({ role: 'instructor', display_name: 'Grace Hopper', email: 'grace@example.org' });
    await expect(redeemSignInLink(test.database.db, decodeURIComponent(url![1]!))).rejects.toThrow(/not valid/);

    // Run again for the same email: the same instructor, a new link.
    const again = await run(process.execPath, args, { cwd: projectRoot, env });
    const second = /token=(\S+)/.exec(again.stdout)![1]!;
    expect((await redeemSignInLink(test.database.db, decodeURIComponent(second))).id).toBe(user.id);
  });

  it('names the bad option and exits 2', async () => {
    const failed = await run(process.execPath, ['scripts/instructor-new.ts', '--email', 'nope', '--name', 'x'], { cwd: projectRoot }).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--email: use an email address');
  });
});
