// Opens the SQLite file, sets pragmas and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { limitPageCache } from './page-cache.ts';
import { openReadOnlyConnection } from './read-only.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** A database problem worth one clear line to the operator, not a stack trace. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

/** SQLite's word that the file's bytes are not a sound database (a failing disk, a bad copy). */
export function isDamage(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return true;
  }
  return false;
}

export interface OpenOptions {
  /**
   * Checkpoint the WAL automatically (SQLite's default, every 1000 pages). False when Litestream
   * replicates the file: it checkpoints itself, and an application checkpoint racing it forces a
   * new snapshot of the whole database (Litestream's own advice is to turn these off).
   */
  autoCheckpoint?: boolean;
  /**
   * How long a write waits, blocking the thread, for another process's write lock. Tools can
   * wait; the server must not (every reader would wait with it), so it passes a few ms and
   * answers a write that still finds the lock with 503.
   */
  busyTimeoutMs?: number;
}

/**
 * What the opened database allows: writes, only reads (a read-only file or mount), or only what
 * can still be read of a damaged file (openDamaged).
 */
export type DatabaseMode = 'read-write' | 'read-only' | 'damaged';

interface Opened {
  mode: DatabaseMode;
  /** The file's identity when opened: a different one (or none) later means it was replaced (deleted). */
  identity: { dev: number; ino: number } | null;
  file: string;
}

const opened = new WeakMap<Database.Database, Opened>();

export function openDatabase(file: string, migrationsDir: string, options: OpenOptions = {}): Db {
  let sqlite: Database.Database;
  let mode: DatabaseMode;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    mode = probeWritable(sqlite);
    if (mode === 'read-write') sqlite.pragma('journal_mode = WAL');
    else {
      sqlite.close();
      sqlite = openReadOnlyConnection(file);
    }
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    limitPageCache(sqlite);
    if (options.autoCheckpoint === false) sqlite.pragma('wal_autocheckpoint = 0');
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open the database file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const db = drizzle(sqlite, { schema }) as Db;
  try {
    // Only when something is pending: migrating takes the write lock, which a read-only file or
    // another process holding it would refuse, though the schema is already what the code needs.
    if (pendingMigrations(sqlite, migrationsDir) > 0) {
      if (mode === 'read-only') throw new Error('it is read-only and needs migrating to this version of Candor');
      migrate(db, { migrationsFolder: migrationsDir });
    }
  } catch (error) {
    sqlite.close();
    throw new DatabaseOpenError(`Cannot prepare the database file ${file}: ${(error as Error).message}`, { cause: error });
  }
  reuseStatements(sqlite);
  opened.set(sqlite, { mode, identity: identityOf(file), file });
  return db;
}

let damagedOpened = false;

/** Whether this thread opened a damaged file (openDamaged): a refused write then says so, not "read-only". */
export function openedDamaged(): boolean {
  return damagedOpened;
}

/**
 * A damaged file, opened only to read what can still be read: no migrating, no writes (commands are
 * refused up front, see storage-faults.ts), nothing repaired or rewritten. Queries that reach the
 * damage throw SQLITE_CORRUPT / SQLITE_NOTADB, which pages answer with 503.
 */
export function openDamaged(file: string): Db {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  damagedOpened = true;
  sqlite.pragma('busy_timeout = 10');
  limitPageCache(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  reuseStatements(sqlite);
  opened.set(sqlite, { mode: 'damaged', identity: identityOf(file), file });
  return db;
}

/** Read-only when SQLite refuses to start a write; a lock held elsewhere says nothing either way. */
function probeWritable(sqlite: Database.Database): DatabaseMode {
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    sqlite.exec('ROLLBACK');
    return 'read-write';
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') return 'read-only';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'read-write';
    throw error;
  }
}

function identityOf(file: string): Opened['identity'] {
  if (file === ':memory:' || file === '') return null;
  try {
    const stat = fs.statSync(file);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return null;
  }
}

/** Migrations in the folder that the database has not applied (drizzle's own rule: by creation time). */
export function pendingMigrations(sqlite: Database.Database, migrationsDir: string): number {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsDir });
  const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!table) return migrations.length;
  const last = sqlite.prepare('select created_at from __drizzle_migrations order by created_at desc limit 1').pluck().get() as number | string | undefined;
  return migrations.filter((m) => last === undefined || Number(last) < m.folderMillis).length;
}

/** Whether the database opened read-only. */
export function databaseMode(db: Db): DatabaseMode {
  return opened.get(db.$client)?.mode ?? 'read-write';
}

/**
 * Whether the file this handle opened is still the one at its path. SQLite keeps reading a
 * deleted file through the open handle, and keeps writing into it too, so without this check
 * every write would be acknowledged and then lost when the process ends.
 */
export function databaseFileProblem(db: Db): 'deleted' | 'replaced' | null {
  const known = opened.get(db.$client);
  if (!known?.identity) return null;
  const now = identityOf(known.file);
  if (now === null) return 'deleted';
  return now.dev === known.identity.dev && now.ino === known.identity.ino ? null : 'replaced';
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
