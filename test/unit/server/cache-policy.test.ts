import { describe, expect, it } from 'vitest';
import { allowsAnyOrigin, CACHE_CONTROL, routeClassOf } from '../../../src/server/http/cache-policy.ts';

describe('routeClassOf', () => {
  it.each([
    ['/admin', 'private'],
    ['/admin/incidents/new', 'private'],
    ['/api/admin/incidents', 'private'],
    ['/healthz', 'uncached'],
    ['/api/v2/summary.json', 'api'],
    ['/api/incidents/abc.json', 'api'],
    ['/api/uptime.json', 'api'],
    ['/history.rss', 'feed'],
    ['/history.atom', 'feed'],
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

  it('gives public classes a short life, stale-while-revalidate and stale-if-error', () => {
    for (const cls of ['api', 'feed', 'page'] as const) {
      expect(CACHE_CONTROL[cls]).toMatch(/^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+, stale-if-error=86400$/);
    }
    const maxAge = (v: string) => Number(/max-age=(\d+)/.exec(v)![1]);
    expect(maxAge(CACHE_CONTROL.api)).toBeLessThanOrEqual(maxAge(CACHE_CONTROL.page));
  });

  it('opens machine-readable routes to any origin, not pages', () => {
    expect(allowsAnyOrigin('api')).toBe(true);
    expect(allowsAnyOrigin('feed')).toBe(true);
    expect(allowsAnyOrigin('page')).toBe(false);
    expect(allowsAnyOrigin('private')).toBe(false);
  });
});
