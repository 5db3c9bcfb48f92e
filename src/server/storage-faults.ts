// Writes against a database that may be failing: a damaged file (opened only to read), or a file
// deleted or replaced under the running process, refuses them up front, and SQLite's storage errors come out as Unavailable (errors.ts:
// a message saying nothing was saved and what to do). The last fault a write met is kept for
// /healthz until a write succeeds again.
import { databaseFileProblem, databaseMode, openedDamaged, type Db } from '../../db/client.ts';
import { faultOfSqliteError, Unavailable, type StorageFault } from './errors.ts';
import { retryPastDeliveryWrites } from './delivery-write-flag.ts';

/** The error as an Unavailable when it is a storage fault (already one, or a SQLite one); else null. */
export function asUnavailable(error: unknown): Unavailable | null {
  if (error instanceof Unavailable) return error;
  const fault = faultOfSqliteError(error);
  if (fault === null) return null;
  // Small writes outside commands (a token's last use, a session) meet the damaged file's
  // read-only connection: the reason is the damage.
  return new Unavailable(fault === 'read_only' && openedDamaged() ? 'database_unreadable' : fault);
}

let lastWriteFault: StorageFault | null = null;

/** What the last failed write ran into, until a write succeeds (read by /healthz). */
export function lastWriteFaultSeen(): StorageFault | null {
  return lastWriteFault;
}

/**
 * Runs a write: refused up front when the file was deleted or replaced under the process;
 * storage faults come out as Unavailable and are remembered for /healthz.
 */
export function guardWrite<T>(db: Db, write: () => T): T {
  // A damaged file is only read (db/client.ts openDamaged): a write could make the damage worse.
  if (databaseMode(db) === 'damaged') {
    lastWriteFault = 'database_unreadable';
    throw new Unavailable(lastWriteFault);
  }
  const fileProblem = databaseFileProblem(db);
  if (fileProblem !== null) {
    lastWriteFault = fileProblem === 'deleted' ? 'database_deleted' : 'database_replaced';
    throw new Unavailable(lastWriteFault);
  }
  try {
    // The delivery process's short writes are waited for; another program's lock is not.
    const result = retryPastDeliveryWrites(write, (error) => faultOfSqliteError(error) === 'locked');
    lastWriteFault = null;
    return result;
  } catch (error) {
    const refusal = asUnavailable(error);
    if (refusal === null) throw error;
    lastWriteFault = refusal.fault;
    throw refusal;
  }
}
