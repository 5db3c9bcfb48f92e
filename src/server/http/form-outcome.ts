// How a workspace page runs a command from a form: success, or what to show and which status.
// Invalid → 422 with messages beside the fields; Conflict, Forbidden, NotFound → one message.
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.ts';

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; errors: Record<string, string>; message: string | null };

export async function runForm<T>(run: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, status: 422, errors: error.fields, message: error.fields.form ?? null };
    if (error instanceof Conflict || error instanceof Forbidden || error instanceof NotFound) {
      return { ok: false, status: error.status, errors: {}, message: error.message };
    }
    throw error;
  }
}
