// HTTP caching for every response (route classes in cache-policy.ts): a strong ETag over the
// body bytes with 304 on If-None-Match, Last-Modified from the last data change, Cache-Control
// fit for a CDN, CORS for machine-readable routes — and private, no-store for the workspace.
//
// Only If-None-Match is honoured, not If-Modified-Since: pages also depend on the clock (live
// durations of an open incident, the rolling 90-day bars), so a date cannot prove a copy fresh.
import type { MiddlewareHandler } from 'astro';
import { getDb } from '../db.ts';
import { loadLastChangeAt } from '../last-change.ts';
import { allowsAnyOrigin, CACHE_CONTROL, CDN_CACHE_CONTROL, routeClassOf, UNCACHEABLE } from './cache-policy.ts';
import { ifNoneMatchHits, strongEtag } from './etag.ts';
import { carryCookies, withHeaders } from './response-headers.ts';
import { CACHE_RENDER_HEADER, DEPENDS_HEADER } from './rendered-cache.ts';

export const publicCaching: MiddlewareHandler = async (context, next) => {
  const routeClass = routeClassOf(context.url.pathname);
  const response = await next();
  if (routeClass === 'private' || routeClass === 'uncached') {
    return withHeaders(response, { 'Cache-Control': CACHE_CONTROL[routeClass] });
  }
  const cors: Record<string, string> = allowsAnyOrigin(routeClass) ? { 'Access-Control-Allow-Origin': '*' } : {};
  const method = context.request.method;
  if ((method !== 'GET' && method !== 'HEAD') || response.status !== 200) {
    return withHeaders(response, { 'Cache-Control': UNCACHEABLE, ...cors });
  }

  // Endpoints hash their own bytes (see respond.ts); pages are hashed here.
  let body: ArrayBuffer | ReadableStream<Uint8Array> | null = response.body;
  let etag = response.headers.get('ETag');
  if (etag === null) {
    const bytes = await response.arrayBuffer();
    etag = strongEtag(new Uint8Array(bytes));
    body = bytes;
  }
  const headers = new Headers(response.headers);
  if (body instanceof ArrayBuffer) headers.set('Content-Length', String(body.byteLength));
  headers.set('ETag', etag);
  headers.set('Cache-Control', CACHE_CONTROL[routeClass]);
  const edge = CDN_CACHE_CONTROL[routeClass];
  if (edge) headers.set('CDN-Cache-Control', edge);
  headers.set('Last-Modified', new Date(loadLastChangeAt(getDb())).toUTCString());
  // Only for the response cache's own renders (it takes the header off): what this page shows.
  const deps = context.locals.dependsOn;
  if (deps !== undefined && context.request.headers.has(CACHE_RENDER_HEADER)) headers.set(DEPENDS_HEADER, deps.join(' '));
  for (const [name, value] of Object.entries(cors)) headers.set(name, value);

  if (ifNoneMatchHits(context.request.headers.get('If-None-Match'), etag)) {
    headers.delete('Content-Type');
    headers.delete('Content-Length');
    return carryCookies(response, new Response(null, { status: 304, headers }));
  }
  const fresh = new Response(method === 'HEAD' ? null : body, { status: 200, statusText: response.statusText, headers });
  return carryCookies(response, fresh);
};
