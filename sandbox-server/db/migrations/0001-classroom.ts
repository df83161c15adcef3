import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Users, classes, sign-in, and each student's Checks, progress and drafts. */
export const classroom: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['instructor', 'student'])))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Replaced by 0002: as written it also held students to one account per email.
    await db.schema.createIndex('users_instructor_email').on('users').columns(['email', 'role']).unique().execute();

    await db.schema
      .createTable('classes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('instructor_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('join_code', 'text', (c) => c.notNull().unique())
      .addColumn('require_email', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('closed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('classes_instructor').on('classes').column('instructor_id').execute();

    await db.schema
      .createTable('enrollments')
      .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('enrollments_pk', ['class_id', 'user_id'])
      .execute();
    await db.schema.createIndex('enrollments_user').on('enrollments').column('user_id').execute();

    for (const table of ['auth_sessions', 'sign_in_links'] as const) {
      let create = db.schema
        .createTable(table)
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull());
      if (table === 'sign_in_links') create = create.addColumn('used_at', 'text');
      await create.execute();
      await db.schema.createIndex(`${table}_user`).on(table).column('user_id').execute();
    }

    await db.schema
      .createTable('check_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('exercise_slug', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('max_score', 'integer', (c) => c.notNull())
      .addColumn('submission', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('check_records_user_exercise').on('check_records').columns(['user_id', 'exercise_slug', 'checked_at']).execute();

    await db.schema
      .createTable('progress')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('exercise_slug', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['passed', 'attempted'])))
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('max_score', 'integer', (c) => c.notNull())
      .addColumn('module', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('progress_pk', ['user_id', 'exercise_slug'])
      .execute();

    await db.schema
      .createTable('lesson_visits')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lesson_visits_pk', ['user_id', 'path'])
      .execute();

    await db.schema
      .createTable('drafts')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('exercise_slug', 'text', (c) => c.notNull())
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('drafts_pk', ['user_id', 'exercise_slug'])
      .execute();
  },
};

/** A CHECK constraint that a column holds one of a few literal values. */
function sqlIn(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
