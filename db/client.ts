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

export interface OpenOptions {
  /**
   * Checkpoint the WAL automatically (SQLite's default, every 1000 pages). False when Litestream
   * replicates the file: it checkpoints itself, and an application checkpoint racing it forces a
   * new snapshot of the whole database (Litestream's own advice is to turn these off).
   */
  autoCheckpoint?: boolean;
}

export function openDatabase(file: string, migrationsDir: string, options: OpenOptions = {}): Db {
  let sqlite: Database.Database;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // Waits for a lock instead of failing at once: another writer (a CLI, Litestream's checkpoint).
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    if (options.autoCheckpoint === false) sqlite.pragma('wal_autocheckpoint = 0');
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
  reuseStatements(sqlite);
  return db;
}

/** Distinct SQL texts kept; queries with IN (…) lists of varying length make a few more. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * drizzle asks better-sqlite3 to prepare every query afresh, which costs more than running most of
 * them (about 2.4 ms of an 18 ms render of the large home page). Keep prepared statements by their
 * SQL text and hand them out again, reset to plain rows (drizzle switches some to raw arrays, and
 * callers may pluck), unless one is mid-iteration.
 */
function reuseStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const statements = new Map<string, Database.Statement>();
  const reused = (source: string): Database.Statement => {
    const known = statements.get(source);
    if (known && !known.busy) {
      if (known.reader) known.raw(false).pluck(false).expand(false);
      return known;
    }
    const fresh = prepare(source);
    if (!known) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statements.set(source, fresh);
    }
    return fresh;
  };
  sqlite.prepare = reused as typeof sqlite.prepare;
}
