import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** One account per email for instructors only: students may give the same address in several classes. */
export const instructorEmail: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('users_instructor_email').execute();
    await db.schema.createIndex('users_instructor_email').on('users').column('email').unique().where(sql.ref('role'), '=', 'instructor').execute();
  },
};
