import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * LTI 1.3: the tool's signing key, the logins in flight (their state and nonce, each spent once
 * whichever server sees the launch), an LMS course mapped onto a class, where a student's grade
 * of each exercise goes, and the grades still to send.
 */
export const lti: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('lti_tool_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      // The private key as a JWK (JSON); the public half is served at /lti/jwks.
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('lti_logins')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createTable('lti_contexts')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('context_id', 'text', (c) => c.notNull())
      .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
      // 1 while the class is held by a stand-in owner, until the course's first instructor launches.
      .addColumn('owner_pending', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_contexts_pk', ['issuer', 'deployment_id', 'context_id'])
      .execute();
    await db.schema
      .createTable('lti_grade_links')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('exercise_slug', 'text', (c) => c.notNull())
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('lineitem', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lti_grade_links_pk', ['user_id', 'exercise_slug'])
      .execute();
    await db.schema
      .createTable('lti_score_sends')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('exercise_slug', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'sent', 'failed')`))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('score_given', 'real')
      .addColumn('score_maximum', 'real')
      .addColumn('activity_progress', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('next_try_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addPrimaryKeyConstraint('lti_score_sends_pk', ['user_id', 'exercise_slug'])
      .execute();
    await db.schema.createIndex('lti_score_sends_due').on('lti_score_sends').columns(['state', 'next_try_at']).execute();
  },
};
