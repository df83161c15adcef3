import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** When a class starts (an ISO time, or null): from a few minutes before, its students' sandboxes are made ready. */
export const classStarts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('classes').addColumn('starts_at', 'text').execute();
  },
};
