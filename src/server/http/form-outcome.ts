// How a workspace page runs a command from a form: success, or what to show and which status.
// Invalid → 422 with messages beside the fields; Conflict, Forbidden, NotFound → one message.
import { Invalid, refusalOf } from '../errors.ts';

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; errors: Record<string, string>; message: string | null };

export async function runForm<T>(run: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const failure = refusalOf(error);
    if (failure instanceof Invalid) return { ok: false, status: failure.status, errors: failure.fields, message: failure.fields.form ?? null };
    return { ok: false, status: failure.status, errors: {}, message: failure.message };
  }
}
