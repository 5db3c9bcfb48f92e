// How much of the database file each connection keeps in memory.
import type Database from 'better-sqlite3';

/**
 * SQLite's own default, 2 MB (better-sqlite3 builds it with 16 MB). Each connection of the server
 * (the render worker's, the main thread's, the cache's version reads, notification delivery) has
 * its own page cache, and a crawl of a large database filled the render worker's: 16 MB cost about
 * 25 MB of resident memory under `npm run bench:memory`, and rendering was no slower with 2 MB (the
 * operating system keeps the file's pages cached anyway, outside the process).
 */
export const PAGE_CACHE_KB = 2000;

export function limitPageCache(sqlite: Database.Database): void {
  try {
    sqlite.pragma(`cache_size = -${PAGE_CACHE_KB}`);
  } catch {
    // A file that is no database at all refuses even this; every query on it fails anyway.
  }
}
