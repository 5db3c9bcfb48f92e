// Opens the SQLite file, sets pragmas and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** A database problem worth one clear line to the operator, not a stack trace. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export function openDatabase(file: string, migrationsDir: string): Db {
  let sqlite: Database.Database;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open the database file ${file}: ${(error as Error).message}`);
  }
  const db = drizzle(sqlite, { schema }) as Db;
  try {
    migrate(db, { migrationsFolder: migrationsDir });
  } catch (error) {
    sqlite.close();
    throw new DatabaseOpenError(`Cannot prepare the database file ${file}: ${(error as Error).message}`);
  }
  return db;
}
