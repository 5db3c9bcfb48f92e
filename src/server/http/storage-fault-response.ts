// The last line for storage faults: whatever route ran into one (a sign-in recording its attempt,
// a session touched, a page that cannot read the database) answers 503 — 507 when storage is full —
// with Retry-After and a plain message, instead of a bare 500. Forms and the write API handle
// Unavailable themselves first, keeping what was typed.
import type { MiddlewareHandler } from 'astro';
import type { Unavailable } from '../errors.ts';
import { FAULT_HEADER, noteReadFault } from '../read-faults.ts';
import { asUnavailable } from '../storage-faults.ts';
import { unavailableResponse } from '../write-api/errors.ts';
import { routeClassOf } from './cache-policy.ts';
import { READER_MESSAGE, READER_TITLE, unavailableHtml } from './unavailable-page.ts';

export function unavailablePage(error: Unavailable, workspace: boolean): Response {
  const html = workspace ? unavailableHtml('Not saved', error.message, '<p><a href="/admin">Back to the workspace</a></p>') : unavailableHtml(READER_TITLE, READER_MESSAGE);
  return new Response(html, {
    status: error.status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': String(error.retryAfterSeconds) },
  });
}

export const storageFaultResponse: MiddlewareHandler = async (context, next) => {
  try {
    return await next();
  } catch (error) {
    const unavailable = asUnavailable(error);
    if (unavailable === null) throw error;
    const { pathname } = context.url;
    const response = pathname.startsWith('/api/') ? unavailableResponse(unavailable) : unavailablePage(unavailable, routeClassOf(pathname) === 'private');
    // Named for the front server, which notes a damaged database for /healthz (read-faults.ts).
    response.headers.set(FAULT_HEADER, unavailable.fault);
    if (unavailable.fault === 'database_unreadable') noteReadFault(Date.now());
    return response;
  }
};
