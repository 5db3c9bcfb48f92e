// /healthz for load balancers and monitors. The body says how Candor is, with stable reasons:
//   ok        pages are served and writes are taken
//   degraded  pages are served, writes are refused:
//               locked             another process holds the database's write lock
//               storage_full       the disk is (nearly) full, or the last write found it full
//               read_only          the database file or its directory is read-only
//               database_deleted   the file was deleted under the running process
//               database_replaced  another file now stands at its path
//               database_damaged   a page or a write met a part of the database that cannot be
//                                  read (in the last minute); readers of that page get its last
//                                  good copy with a notice, or a 503 page when there is none
//   failing   the database cannot be read at all: database_unreadable
// The HTTP status stays 200 while pages can be served, so a load balancer keeps the one instance
// that can still show customers the page; 503 only when failing.
import fs from 'node:fs';
import path from 'node:path';
import { databaseFileProblem, databaseMode, type Db } from '../../db/client.ts';
import { getConfig } from '../config.ts';
import { getDb } from './db.ts';
import { faultOfSqliteError, type StorageFault } from './errors.ts';
import { readFaultRecent } from './read-faults.ts';
import { lastWriteFaultSeen } from './storage-faults.ts';

export type HealthStatus = 'ok' | 'degraded' | 'failing';

export type HealthReason = StorageFault | 'database_damaged';

export interface Health {
  httpStatus: 200 | 503;
  body: { status: HealthStatus; reasons: HealthReason[] };
}

/** Below this much free space a write may fail halfway (SQLite needs room for the WAL). */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

function freeBytes(file: string): number | null {
  try {
    const stats = fs.statfsSync(path.dirname(file));
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Whether another process holds the write lock (the probe waits at most the connection's busy timeout). */
function writeLockHeld(db: Db): boolean {
  try {
    db.$client.exec('BEGIN IMMEDIATE');
    db.$client.exec('ROLLBACK');
    return false;
  } catch (error) {
    return faultOfSqliteError(error) === 'locked';
  }
}

export function assessHealth(db: Db, databaseFile: string, now = Date.now()): Health {
  try {
    db.$client.prepare('select data_version from site_settings where id = 1').get();
  } catch {
    return { httpStatus: 503, body: { status: 'failing', reasons: ['database_unreadable'] } };
  }
  const reasons = new Set<HealthReason>();
  const fileProblem = databaseFileProblem(db);
  if (fileProblem !== null) reasons.add(fileProblem === 'deleted' ? 'database_deleted' : 'database_replaced');
  const mode = databaseMode(db);
  if (mode === 'damaged') reasons.add('database_damaged');
  if (mode === 'read-only') reasons.add('read_only');
  else if (mode === 'read-write' && fileProblem === null && writeLockHeld(db)) reasons.add('locked');
  const free = freeBytes(databaseFile);
  if (free !== null && free < MIN_FREE_BYTES) reasons.add('storage_full');
  const last = lastWriteFaultSeen();
  if (last !== null && last !== 'locked') reasons.add(last === 'database_unreadable' ? 'database_damaged' : last);
  if (readFaultRecent(now)) reasons.add('database_damaged');
  return { httpStatus: 200, body: { status: reasons.size === 0 ? 'ok' : 'degraded', reasons: [...reasons] } };
}

export function checkHealth(): Health {
  let db: Db;
  try {
    db = getDb();
  } catch {
    return { httpStatus: 503, body: { status: 'failing', reasons: ['database_unreadable'] } };
  }
  return assessHealth(db, getConfig().databasePath);
}
