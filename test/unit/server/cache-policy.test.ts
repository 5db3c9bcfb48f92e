import { describe, expect, it } from 'vitest';
import { allowsAnyOrigin, CACHE_CONTROL, CDN_CACHE_CONTROL, routeClassOf } from '../../../src/server/http/cache-policy.ts';
import { parseCacheControl, parseCdnCacheControl, readAsSharedCache } from '../../support/rfc9111.ts';

describe('routeClassOf', () => {
  it.each([
    ['/admin', 'private'],
    ['/admin/incidents/new', 'private'],
    ['/api/admin/incidents', 'private'],
    ['/healthz', 'uncached'],
    ['/metrics', 'uncached'],
    ['/api/v2/summary.json', 'api'],
    ['/api/incidents/abc.json', 'api'],
    ['/api/uptime.json', 'api'],
    ['/history.rss', 'feed'],
    ['/history.atom', 'feed'],
    ['/history.json', 'feed'],
    ['/components/smtp-relay.rss', 'feed'],
    ['/maintenance.ics', 'feed'],
    ['/badge.svg', 'feed'],
    ['/components/smtp-relay/badge.svg', 'feed'],
    ['/', 'page'],
    ['/history', 'page'],
    ['/incidents/abc', 'page'],
  ])('%s → %s', (path, expected) => {
    expect(routeClassOf(path)).toBe(expected);
  });
});

describe('cache headers per class', () => {
  it('never lets a shared cache keep the workspace or the health check', () => {
    expect(CACHE_CONTROL.private).toBe('private, no-store');
    expect(CACHE_CONTROL.uncached).toBe('no-store');
  });

  it('gives public classes a short life, stale-while-revalidate and a day of stale-if-error, read as RFC 9111 does', () => {
    for (const cls of ['api', 'feed', 'page'] as const) {
      for (const reading of [readAsSharedCache(parseCacheControl(CACHE_CONTROL[cls])), readAsSharedCache(parseCdnCacheControl(CDN_CACHE_CONTROL[cls]!))]) {
        expect(reading.mayStore, cls).toBe(true);
        expect(reading.freshFor, cls).toBeGreaterThan(0);
        expect(reading.freshFor, cls).toBeLessThanOrEqual(30);
        expect(reading.staleWhileRevalidate, cls).toBeGreaterThan(0);
        expect(reading.staleIfError, cls).toBe(86_400);
      }
    }
    const fresh = (cls: 'api' | 'page') => readAsSharedCache(parseCacheControl(CACHE_CONTROL[cls])).freshFor;
    expect(fresh('api')).toBeLessThanOrEqual(fresh('page'));
  });

  it('sends no edge header where Cache-Control keeps responses out of caches (a CDN reading it would ignore Cache-Control)', () => {
    expect(CDN_CACHE_CONTROL.private).toBeUndefined();
    expect(CDN_CACHE_CONTROL.uncached).toBeUndefined();
  });
});

describe('the RFC 9111 reading used above', () => {
  it('finds that s-maxage switches stale-if-error off for shared caches (the header Candor used to send)', () => {
    const old = readAsSharedCache(parseCacheControl('public, max-age=30, s-maxage=30, stale-while-revalidate=60, stale-if-error=86400'));
    expect(old.freshFor).toBe(30);
    expect(old.staleIfError).toBe(0);
    expect(old.staleWhileRevalidate).toBe(0);
  });

  it('parses case-insensitive names, quoted arguments and refuses what the grammar does not allow', () => {
    const read = parseCacheControl('Public, MAX-AGE="60", no-cache="set-cookie"');
    expect(read.get('max-age')).toBe('60');
    expect(readAsSharedCache(read).staleIfError).toBe(0);
    expect(() => parseCacheControl('max-age=3 0')).toThrow();
    expect(() => parseCdnCacheControl('max-age=abc')).toThrow();
  });
});

describe('cross-origin reads', () => {
  it('opens machine-readable routes to any origin, not pages', () => {
    expect(allowsAnyOrigin('api')).toBe(true);
    expect(allowsAnyOrigin('feed')).toBe(true);
    expect(allowsAnyOrigin('page')).toBe(false);
    expect(allowsAnyOrigin('private')).toBe(false);
  });
});
