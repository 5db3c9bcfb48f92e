// Responses of the public endpoints (feeds, API, badge, calendar). The ETag is computed here,
// from the bytes, because Astro drops an endpoint's body on HEAD before the middleware sees it —
// HEAD must still carry the same validator as GET. Caching headers are added by public-caching.ts.
import { strongEtag } from './etag.ts';
import { Invalid, refusalOf } from '../errors.ts';

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  jsonFeed: 'application/feed+json; charset=utf-8',
  ics: 'text/calendar; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

export function respond(body: string, type: keyof typeof CONTENT_TYPES, status = 200): Response {
  const bytes = new TextEncoder().encode(body);
  return new Response(bytes, {
    status,
    headers: { 'Content-Type': CONTENT_TYPES[type], 'Content-Length': String(bytes.byteLength), ETag: strongEtag(bytes) },
  });
}

export function respondJson(value: unknown, status = 200): Response {
  return respond(JSON.stringify(value), 'json', status);
}

/**
 * Runs a server call and maps the typed failures to a JSON error with their status (a bad query
 * parameter is BadQuery, 400, with a message per field); others propagate.
 */
export function respondJsonOrError(produce: () => unknown): Response {
  try {
    return respondJson(produce());
  } catch (error) {
    const { status, message, fields } = refusalOf(error);
    return respondJson({ error: { status, message, ...(error instanceof Invalid ? { fields } : {}) } }, status);
  }
}
