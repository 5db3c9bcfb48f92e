// Which caching rules apply to a path. Public responses are the same for every reader, so a CDN
// may keep them briefly; the staff workspace and the write API never.
//
// | class     | paths                                             | Cache-Control                                  |
// |-----------|---------------------------------------------------|------------------------------------------------|
// | private   | /admin…, /api/admin…, /subscribe/… (token links)  | private, no-store                              |
// | uncached  | /healthz, /metrics                                | no-store (a load balancer must see the truth)  |
// | api       | /api/… (JSON)                                     | 15 s fresh, 30 s stale-while-revalidate        |
// | feed      | .rss .atom .ics feeds, /history.json, badge.svg   | 30 s fresh, 60 s stale-while-revalidate        |
// | page      | every other public page                           | 30 s fresh, 60 s stale-while-revalidate        |
// All public classes may be served stale for a day when the origin fails (stale-if-error): during
// an outage of Candor itself, an old status page beats none. JSON is fresher because bots poll it
// to react to changes, and a revalidation with If-None-Match costs one small 304.
//
// No s-maxage: RFC 9111 §5.2.2.10 gives it the meaning of proxy-revalidate, which forbids a shared
// cache to serve the response stale (§4.2.4), so it would switch off stale-if-error at exactly the
// caches that need it; Cloudflare ignores stale-if-error next to it. Shared caches use max-age.
// Edge lifetimes go in CDN-Cache-Control (RFC 9213): CDNs that read it use it instead of
// Cache-Control, browsers ignore it.

export type RouteClass = 'private' | 'uncached' | 'api' | 'feed' | 'page';

export const CACHE_CONTROL: Record<RouteClass, string> = {
  private: 'private, no-store',
  uncached: 'no-store',
  api: 'public, max-age=15, stale-while-revalidate=30, stale-if-error=86400',
  feed: 'public, max-age=30, stale-while-revalidate=60, stale-if-error=86400',
  page: 'public, max-age=30, stale-while-revalidate=60, stale-if-error=86400',
};

/**
 * CDN-Cache-Control (an RFC 8941 dictionary) for public classes: what an edge may do. Only where a
 * response is public: a CDN that reads this header ignores Cache-Control, so it is never sent next
 * to private or no-store.
 */
export const CDN_CACHE_CONTROL: Partial<Record<RouteClass, string>> = {
  api: 'max-age=15, stale-while-revalidate=30, stale-if-error=86400',
  feed: 'max-age=30, stale-while-revalidate=60, stale-if-error=86400',
  page: 'max-age=30, stale-while-revalidate=60, stale-if-error=86400',
};

/** Errors and non-GET answers are never stored: a cached 404 or 500 would outlive its cause. */
export const UNCACHEABLE = 'no-store';

export function routeClassOf(pathname: string): RouteClass {
  if (pathname === '/admin' || pathname.startsWith('/admin') || pathname.startsWith('/api/admin')) return 'private';
  // Confirm, manage and unsubscribe links carry a subscriber's token: never kept anywhere.
  if (pathname.startsWith('/subscribe/')) return 'private';
  if (pathname === '/healthz' || pathname === '/metrics') return 'uncached';
  if (pathname.startsWith('/api/')) return 'api';
  if (/\.(rss|atom|ics)$/.test(pathname) || pathname === '/history.json' || pathname.endsWith('/badge.svg')) return 'feed';
  return 'page';
}

/** Feeds, calendar, badge and API are read by other sites' scripts too. */
export function allowsAnyOrigin(routeClass: RouteClass): boolean {
  return routeClass === 'api' || routeClass === 'feed';
}
