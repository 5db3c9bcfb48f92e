// The small typed family of failures every command and query may raise; mapped to HTTP in one place.
export class NotFound extends Error {
  override name = 'NotFound';
  readonly status = 404;
}

export class Invalid extends Error {
  override name = 'Invalid';
  readonly status = 422;
  readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.fields = fields;
  }
}

export class Conflict extends Error {
  override name = 'Conflict';
  readonly status = 409;
}

export class Forbidden extends Error {
  override name = 'Forbidden';
  readonly status = 403;
}

export type CandorError = NotFound | Invalid | Conflict | Forbidden;

export function httpStatusOf(error: unknown): number {
  if (error instanceof NotFound || error instanceof Invalid || error instanceof Conflict || error instanceof Forbidden) {
    return error.status;
  }
  return 500;
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
