import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openNodeSqlite } from './node-sqlite.ts';
import { migrateToLatest } from './migrate.ts';
import type { Tables } from './tables.ts';

/** The classroom database and which engine holds it. */
export interface Database {
  db: Kysely<Tables>;
  dialect: 'sqlite' | 'postgres';
  /** Where it is, for logs: the SQLite file, or the PostgreSQL host and database (no password). */
  where: string;
  close(): Promise<void>;
}

/** Where the database is: a PostgreSQL URL, else an SQLite file in the data folder. */
export interface DatabaseSettings {
  url?: string | undefined;
  dataDir: string;
}

/** The name of the SQLite file inside the data folder. */
export const SQLITE_FILE = 'dockyard.sqlite';

/** Opens the database (PostgreSQL when a URL is given, else SQLite in the data folder) and migrates it. */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  const database = settings.url ? openPostgres(settings.url) : openSqlite(settings.dataDir);
  try {
    await migrateToLatest(database.db as Kysely<unknown>);
  } catch (err) {
    await database.close();
    throw new Error(`${(err as Error).message} (database: ${database.where})`);
  }
  return database;
}

function openSqlite(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SQLITE_FILE);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: openNodeSqlite(file) }) });
  return { db, dialect: 'sqlite', where: file, close: () => db.destroy() };
}

function openPostgres(url: string): Database {
  const parsed = new URL(url);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', where: `${parsed.host}${parsed.pathname}`, close: () => db.destroy() };
}
