// The process-wide database handle: opened, migrated and (when empty) seeded on first use.
import { getConfig, type Config } from '../config.ts';
import { databaseMode, isDamage, openDamaged, openDatabase, type DatabaseMode, type Db } from '../../db/client.ts';
import { earlierDatabaseTraces, markDatabase } from '../../db/earlier-database.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { renderMarkdown } from './markdown.ts';
import { ensureSiteSettings } from './site.ts';

/**
 * How long the server's connection waits for another process's write lock, blocking its one
 * thread: a few ms absorbs another program's short write; anything longer is answered with 503.
 */
export const SERVER_BUSY_TIMEOUT_MS = 10;
/** Under Litestream a write may meet its checkpoint, which takes longer than another program's write. */
export const LITESTREAM_BUSY_TIMEOUT_MS = 100;

let db: Db | undefined;

export interface Prepared {
  db: Db;
  seeded: boolean;
  mode: DatabaseMode;
  /** Files showing that a database existed at this path before this one was created (see earlier-database.ts). */
  earlierTraces: string[];
  /** What SQLite said about a damaged file (mode 'damaged'). */
  damage?: string;
}

export function prepareDatabase(options: { now?: number; busyTimeoutMs?: number; config?: Config } = {}): Prepared {
  const now = options.now ?? Date.now();
  const config = options.config ?? getConfig();
  const earlierTraces = earlierDatabaseTraces(config.databasePath);
  let opened: Db | undefined;
  try {
    opened = openDatabase(config.databasePath, config.migrationsDir, { autoCheckpoint: !config.litestream, busyTimeoutMs: options.busyTimeoutMs });
    const mode = databaseMode(opened);
    let seeded = false;
    if (mode === 'read-write') {
      seeded = config.seedDemoWhenEmpty && earlierTraces.length === 0 ? seedDemo(opened, { now, render: renderMarkdown }) : false;
      ensureSiteSettings(opened, now);
      markDatabase(config.databasePath, now);
    }
    return { db: opened, seeded, mode, earlierTraces };
  } catch (error) {
    // A damaged file: serve what can still be read, refuse writes, never seed or migrate over it.
    if (!isDamage(error)) throw error;
    opened?.$client.close();
    return { db: openDamaged(config.databasePath), seeded: false, mode: 'damaged', earlierTraces: [], damage: (error as Error).message };
  }
}

export function getDb(): Db {
  db ??= prepareDatabase({ busyTimeoutMs: getConfig().litestream ? LITESTREAM_BUSY_TIMEOUT_MS : SERVER_BUSY_TIMEOUT_MS }).db;
  return db;
}
