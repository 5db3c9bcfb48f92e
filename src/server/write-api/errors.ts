// Every write-API refusal has one JSON shape:
//   { "error": { "status": 422, "code": "invalid", "message": "…", "fields": { "title": "…" } } }
// `fields` is always present (empty when the problem is not about one field).
import { Invalid, refusalOf, Unavailable, type RefusalCode } from '../errors.ts';

export type ApiErrorCode =
  | RefusalCode
  | 'unauthorized'
  | 'cross_site'
  | 'method_not_allowed'
  | 'internal'
  | 'policy_warnings'
  | 'length_required'
  | 'payload_too_large';

export interface ApiErrorOptions {
  fields?: Record<string, string>;
  headers?: Record<string, string>;
  /** Extra members beside the standard ones (e.g. the policy warnings to acknowledge). */
  extra?: Record<string, unknown>;
}

export function apiError(status: number, code: ApiErrorCode, message: string, options: ApiErrorOptions = {}): Response {
  const body = { error: { status, code, message, fields: options.fields ?? {}, ...options.extra } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store', ...options.headers },
  });
}

/** 401 for a missing, unknown or revoked token (RFC 6750 asks for the challenge header). */
export function unauthorized(message: string, invalidToken: boolean): Response {
  const challenge = invalidToken ? 'Bearer realm="candor", error="invalid_token"' : 'Bearer realm="candor"';
  return apiError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
}

/** The typed failures through their status table (errors.ts); anything else is a bug and propagates (500). */
export function errorResponseFor(error: unknown, rename: (field: string) => string = (f) => f): Response {
  const refusal = refusalOf(error);
  if (refusal instanceof Unavailable) return unavailableResponse(refusal);
  if (!(refusal instanceof Invalid)) return apiError(refusal.status, refusal.code, refusal.message);
  const fields = Object.fromEntries(Object.entries(refusal.fields).map(([name, message]) => [rename(name), message]));
  const count = Object.keys(fields).length;
  const message = fields.form ?? (count === 1 ? Object.values(fields)[0]! : `${count} fields need attention; nothing was saved.`);
  return apiError(refusal.status, refusal.code, message, { fields });
}

/** 503 (507 when storage is full) with Retry-After and the fault, for monitors: nothing was saved. */
export function unavailableResponse(error: Unavailable): Response {
  return apiError(error.status, error.code, error.message, {
    headers: { 'Retry-After': String(error.retryAfterSeconds) },
    extra: { reason: error.fault },
  });
}
