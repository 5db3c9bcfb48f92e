// Opening a database only to read it, also from a read-only disk. Kept apart from client.ts so the
// server's front (scripts/serve.ts) can use it without loading drizzle and its migrator.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { limitPageCache } from './page-cache.ts';

const FAILS_WITHOUT_SIDE_FILES = /^SQLITE_(READONLY|CANTOPEN|IOERR)/;

/**
 * A connection that only reads. A WAL database needs its -shm file even to read, and SQLite cannot
 * make one in a read-only directory: then read a snapshot of the file into memory instead (marked
 * as a rollback-journal database in the copy's header, as an in-memory database must be), so a
 * read-only disk still gets its status page served.
 */
export function openReadOnlyConnection(file: string): Database.Database {
  const direct = new Database(file, { readonly: true, fileMustExist: true });
  try {
    direct.prepare('select count(*) from sqlite_master').get();
    limitPageCache(direct);
    return direct;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    // A damaged file: keep the connection, whose queries fail, for the caller to answer as it can.
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return direct;
    direct.close();
    if (!FAILS_WITHOUT_SIDE_FILES.test(code)) throw error;
  }
  const bytes = fs.readFileSync(file);
  if (bytes.length >= 20) bytes[18] = bytes[19] = 1;
  return new Database(bytes, { readonly: true });
}
