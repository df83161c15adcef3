import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A grade link may name the course's line items container instead of one line item (a link that
 * is not an assignment): Dockyard then makes the exercise's line item there on the first grade.
 */
export const ltiLineitems: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('lti_grade_links').addColumn('lineitems', 'text').execute();
    await db.schema.alterTable('lti_grade_links').addColumn('resource_link_id', 'text').execute();
  },
};
