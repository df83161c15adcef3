import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import { classroom } from './migrations/0001-classroom.ts';
import { instructorEmail } from './migrations/0002-instructor-email.ts';
import { sandboxSessions } from './migrations/0003-sandbox-sessions.ts';
import { identities } from './migrations/0004-identities.ts';
import { lti } from './migrations/0005-lti.ts';
import { ltiLineitems } from './migrations/0006-lti-lineitems.ts';
import { classStarts } from './migrations/0007-class-starts.ts';

/** Every migration, in order; a new one is a new file in migrations/ added here with the next number. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-classroom': classroom,
  '0002-instructor-email': instructorEmail,
  '0003-sandbox-sessions': sandboxSessions,
  '0004-identities': identities,
  '0005-lti': lti,
  '0006-lti-lineitems': ltiLineitems,
  '0007-class-starts': classStarts,
};

/** Brings the schema to the latest version; throws naming the migration that failed. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '));
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
