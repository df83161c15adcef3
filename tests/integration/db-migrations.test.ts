import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../sandbox-server/db/database.ts';
import { MIGRATIONS } from '../../sandbox-server/db/migrate.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

describe.each(DATABASES)('database on $name', ({ open }) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.dispose();
    test = undefined;
  });

  it('runs every migration at open, and again is a no-op', async () => {
    test = await open();
    const { db } = test.database;
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
    // A second server opening the same database finds nothing to do and the same tables.
    const again = await openDatabase(test.settings);
    const tables = await again.db.introspection.getTables();
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'auth_sessions',
        'check_records',
        'classes',
        'drafts',
        'enrollments',
        'identities',
        'lesson_visits',
        'lti_contexts',
        'lti_grade_links',
        'lti_logins',
        'lti_score_sends',
        'lti_tool_keys',
        'progress',
        'sandbox_servers',
        'sandbox_session_tokens',
        'sandbox_sessions',
        'sign_in_links',
        'users',
      ],
    );
    await again.close();
  });

  it('holds instructors, not students, to one account per email', async () => {
    test = await open();
    const { db } = test.database;
    const user = (id: string, role: 'student' | 'instructor') => ({ id, role, display_name: id, email: 'same@example.org', created_at: new Date().toISOString() });
    await db.insertInto('users').values([user('s1', 'student'), user('s2', 'student'), user('i1', 'instructor')]).execute();
    await expect(db.insertInto('users').values(user('i2', 'instructor')).execute()).rejects.toThrow(/unique|duplicate/i);
  });

  it('refuses rows the schema forbids', async () => {
    test = await open();
    const { db } = test.database;
    const user = { id: 'u1', role: 'admin' as 'student', display_name: 'x', email: null, created_at: new Date().toISOString() };
    await expect(db.insertInto('users').values(user).execute()).rejects.toThrow(/check/i);
    await expect(
      db.insertInto('classes').values({ id: 'c1', name: 'n', instructor_id: 'nobody', join_code: 'j', require_email: 0, closed_at: null, created_at: '' }).execute(),
    ).rejects.toThrow(/foreign key/i);
  });
});
