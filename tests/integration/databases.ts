import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../sandbox-server/db/database.ts';

/** A database made for one test file, and how to throw it away. */
export interface TestDatabase {
  database: Database;
  /** The settings that open it again (a second server on the same database). */
  settings: { url?: string; dataDir: string };
  dispose(): Promise<void>;
}

/** The PostgreSQL server the tests use; CI starts it (scripts/start-postgres.sh). Absent, the tests fail. */
export function postgresUrl(): string {
  const url = process.env.DOCKYARD_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'DOCKYARD_TEST_DATABASE_URL is not set: the database tests run against a real PostgreSQL server too. ' +
        'Start one with `export DOCKYARD_TEST_DATABASE_URL=$(bash scripts/start-postgres.sh)`.',
    );
  }
  return url;
}

/** A fresh SQLite file in a temporary data folder, migrated. */
async function sqliteDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dockyard-db-'));
  const database = await openDatabase({ dataDir });
  return { database, settings: { dataDir }, dispose: async () => { await database.close(); rmSync(dataDir, { recursive: true, force: true }); } };
}

/** A fresh PostgreSQL database on the test server, migrated; dropped afterwards. */
async function postgresDatabase(): Promise<TestDatabase> {
  const base = new URL(postgresUrl());
  const name = `dockyard_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), dataDir: '' });
  return {
    database,
    settings: { url: url.toString(), dataDir: '' },
    dispose: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: base.toString() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Both engines the classroom runs on: every database test runs once per entry. */
export const DATABASES = [
  { name: 'sqlite', open: sqliteDatabase },
  { name: 'postgres', open: postgresDatabase },
] as const;
