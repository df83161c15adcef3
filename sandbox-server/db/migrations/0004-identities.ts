import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Institutional identities: an OpenID Connect subject or an LTI user (`sub` at an issuer) mapped
 * onto a Dockyard user, so one person who arrives by a join link, by OIDC and by their LMS is one user.
 */
export const identities: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('identities')
      // `oidc:<issuer>` or `lti:<issuer>`: the issuer is part of the name, a subject is unique only there.
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('identities_pk', ['provider', 'subject'])
      .execute();
    await db.schema.createIndex('identities_user').on('identities').column('user_id').execute();
  },
};
