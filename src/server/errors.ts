// The small typed family of failures every command and query may raise. Each carries its HTTP
// status and API code: this file is the one table from failure to HTTP. HTML forms
// (admin/handle-form.ts), read JSON (http/respond.ts) and the write API (write-api/errors.ts) all
// answer through `refusalOf`; anything that is not one of these is a bug and answers 500.

export type RefusalCode = 'bad_request' | 'forbidden' | 'not_found' | 'conflict' | 'invalid' | 'throttled' | 'unavailable' | 'storage_full';

export abstract class CandorError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409 | 422 | 429 | 503 | 507;
  abstract readonly code: RefusalCode;
  /** Field name → message (`form` for the form as a whole); empty when no field is at fault. */
  readonly fields: Record<string, string> = {};
  /** Seconds to wait before trying again (Retry-After), when waiting is the answer. */
  readonly retryAfterSeconds: number | null = null;
}

/** No such thing (incident, component, user…). */
export class NotFound extends CandorError {
  override name = 'NotFound';
  readonly status = 404;
  readonly code = 'not_found';
}

/** Submitted input that does not pass, with a message per field. */
export class Invalid extends CandorError {
  override name = 'Invalid';
  readonly status: 400 | 422 | 429 = 422;
  readonly code: 'bad_request' | 'invalid' | 'throttled' = 'invalid';
  override readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.fields = fields;
  }
}

/** A query parameter of a read (GET) that does not pass: the request itself is bad. */
export class BadQuery extends Invalid {
  override name = 'BadQuery';
  override readonly status = 400;
  override readonly code = 'bad_request';
}

/** The change is well-formed but the current state refuses it. */
export class Conflict extends CandorError {
  override name = 'Conflict';
  readonly status = 409;
  readonly code = 'conflict';
}

/** The caller's role or scope does not allow it. */
export class Forbidden extends CandorError {
  override name = 'Forbidden';
  readonly status = 403;
  readonly code = 'forbidden';
}

/** Why a write cannot be stored right now; /healthz reports the same reasons. */
export type StorageFault = 'locked' | 'storage_full' | 'read_only' | 'database_deleted' | 'database_replaced' | 'database_unreadable';

const STORAGE_FAULTS: Record<StorageFault, { message: string; retryAfterSeconds: number }> = {
  locked: {
    message: 'The database is locked by another program (a backup or a command run on the server); nothing was saved. Try again in a few seconds.',
    retryAfterSeconds: 5,
  },
  storage_full: { message: 'Storage is full: nothing was saved. Free disk space on the server, then try again.', retryAfterSeconds: 60 },
  read_only: {
    message: 'The database is read-only: nothing was saved. The status page still shows what it holds; make the database file and its directory writable, then restart Candor.',
    retryAfterSeconds: 300,
  },
  database_deleted: {
    message: 'The database file was deleted while Candor was running: nothing was saved, and nothing will be until it is restored from a backup and Candor restarted.',
    retryAfterSeconds: 300,
  },
  database_replaced: {
    message: 'The database file was replaced while Candor was running: nothing was saved. Restart Candor to use the new file.',
    retryAfterSeconds: 300,
  },
  database_unreadable: { message: 'The database cannot be read (it may be damaged): nothing was saved. Restore it from a backup.', retryAfterSeconds: 300 },
};

/**
 * The database cannot take this write, and nothing was saved: 507 when storage is full, else 503,
 * with how long to wait before trying again (Retry-After).
 */
export class Unavailable extends CandorError {
  override name = 'Unavailable';
  readonly status: 503 | 507;
  readonly code: 'unavailable' | 'storage_full';
  readonly fault: StorageFault;
  override readonly retryAfterSeconds: number;
  constructor(fault: StorageFault) {
    super(STORAGE_FAULTS[fault].message);
    this.fault = fault;
    this.status = fault === 'storage_full' ? 507 : 503;
    this.code = fault === 'storage_full' ? 'storage_full' : 'unavailable';
    this.retryAfterSeconds = STORAGE_FAULTS[fault].retryAfterSeconds;
  }
}

/** The storage fault behind a SQLite error, or null when it is something else (a bug, a constraint). */
export function faultOfSqliteError(error: unknown): StorageFault | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code === 'SQLITE_FULL') return 'storage_full';
  if (code.startsWith('SQLITE_READONLY')) return 'read_only';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'database_unreadable';
  return null;
}

/**
 * The typed failure to answer with; a storage fault from SQLite becomes Unavailable. Anything else
 * is a bug and is thrown on (500).
 */
export function refusalOf(error: unknown): CandorError {
  if (error instanceof CandorError) return error;
  const fault = faultOfSqliteError(error);
  if (fault !== null) return new Unavailable(fault);
  throw error;
}

/** What `load` returns, or null when it throws NotFound (pages answer that with their 404). */
export function orNotFound<T>(load: () => T): T | null {
  try {
    return load();
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}
