import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInstructor, userForIdentity } from '../../sandbox-server/classroom/accounts.ts';
import { openDatabase, type Database } from '../../sandbox-server/db/database.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

describe.each(DATABASES)('institutional identities on $name', ({ open }) => {
  let test: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    test = await open();
    second = await openDatabase(test.settings);
  });
  afterAll(async () => {
    await second?.close();
    await test?.dispose();
  });
  const student = (subject: string, provider = 'oidc:https://idp.example.org') => ({ provider, subject, role: 'student' as const, displayName: `Student ${subject}` });

  it('maps a first sign-in onto a new user, and every later one onto the same user', async () => {
    const db = test.database.db;
    const first = await userForIdentity(db, { ...student('s-1'), email: 'ada@example.org' }, Date.UTC(2026, 11, 1));
    expect(first).toMatchObject({ role: 'student', display_name: 'Student s-1', email: 'ada@example.org' });
    const again = await userForIdentity(db, student('s-1'), Date.UTC(2026, 11, 2));
    expect(again.id).toBe(first.id);
    const row = await db.selectFrom('identities').selectAll().where('subject', '=', 's-1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: first.id, created_at: '2026-12-01T00:00:00.000Z', last_seen_at: '2026-12-02T00:00:00.000Z' });
  });

  it('keeps the same subject at two issuers apart', async () => {
    const db = test.database.db;
    const a = await userForIdentity(db, student('same', 'oidc:https://a.example.org'));
    const b = await userForIdentity(db, student('same', 'lti:https://b.example.org'));
    expect(a.id).not.toBe(b.id);
  });

  it("maps an instructor's identity onto the instructor account of that email", async () => {
    const db = test.database.db;
    const grace = await ensureInstructor(db, 'grace@example.org', 'Grace');
    const viaLms = await userForIdentity(db, { provider: 'lti:https://lms.example.org', subject: 'g', role: 'instructor', displayName: 'G. Hopper', email: 'grace@example.org' });
    expect(viaLms.id).toBe(grace.id);
  });

  it('ends two servers racing on the same first sign-in with one user and no stray one', async () => {
    const countUsers = async () => Number((await test.database.db.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await countUsers();
    const [a, b] = await Promise.all([userForIdentity(test.database.db, student('race')), userForIdentity(second.db, student('race'))]);
    expect(a.id).toBe(b.id);
    expect(await countUsers()).toBe(before + 1);
  });
});
