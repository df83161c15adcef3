import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What servers sharing the database need to agree on: which servers are alive (a heartbeat),
 * and which live session belongs to which server and client, so a client's cap holds on all of them.
 */
export const sandboxSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sandbox_servers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('engine', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'text', (c) => c.notNull())
      .addColumn('lapses_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sandbox_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('server_id', 'text', (c) => c.notNull())
      .addColumn('engine', 'text', (c) => c.notNull())
      .addColumn('client_key', 'text', (c) => c.notNull())
      .addColumn('slot', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('sandbox_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    // A client's sessions take slots 0, 1, …: one insert that conflicts is how two servers never both grant the last one.
    await db.schema.createIndex('sandbox_sessions_client_slot').on('sandbox_sessions').columns(['client_key', 'slot']).unique().execute();
    await db.schema.createIndex('sandbox_sessions_server').on('sandbox_sessions').column('server_id').execute();

    await db.schema
      .createTable('sandbox_session_tokens')
      .addColumn('session_id', 'text', (c) => c.notNull().references('sandbox_sessions.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sandbox_session_tokens_pk', ['session_id', 'token_hash'])
      .execute();
  },
};
