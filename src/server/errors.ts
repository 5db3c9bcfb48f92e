// The small typed family of failures every command and query may raise. Each carries its HTTP
// status and API code: this file is the one table from failure to HTTP. HTML forms
// (admin/handle-form.ts), read JSON (http/respond.ts) and the write API (write-api/errors.ts) all
// answer through `refusalOf`; anything that is not one of these is a bug and answers 500.

export type RefusalCode = 'bad_request' | 'forbidden' | 'not_found' | 'conflict' | 'invalid';

export abstract class CandorError extends Error {
  abstract readonly status: 400 | 403 | 404 | 409 | 422;
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
  readonly status: 400 | 422 = 422;
  readonly code: 'bad_request' | 'invalid' = 'invalid';
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

/** The typed failure to answer with; anything else is a bug and is thrown on (500). */
export function refusalOf(error: unknown): CandorError {
  if (error instanceof CandorError) return error;
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
