// The response cache's key: only what a page reads may make a new entry.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf, isSharedPath, ROUTE_PARAMS } from '../../src/server/http/front-server.ts';

describe('cacheKeyOf', () => {
  it('keeps the path and the parameters the route reads, sorted, first value each', () => {
    expect(cacheKeyOf('/')).toBe('/');
    expect(cacheKeyOf('/history.rss')).toBe('/history.rss');
    expect(cacheKeyOf('/history?page=2&component=smtp-relay')).toBe('/history?component=smtp-relay&page=2');
    expect(cacheKeyOf('/history?page=2&page=3')).toBe('/history?page=2');
    expect(cacheKeyOf('/uptime?month=2026-10&utm_source=mail')).toBe('/uptime?month=2026-10');
    expect(cacheKeyOf('/api/uptime.json?month=2026-10')).toBe('/api/uptime.json?month=2026-10');
  });

  it('ignores parameters no page reads, so they cannot multiply renders', () => {
    expect(cacheKeyOf('/?utm_campaign=outage')).toBe('/');
    expect(cacheKeyOf('/api/v2/summary.json?_=1732270000')).toBe('/api/v2/summary.json');
    expect(cacheKeyOf('/incidents/abc123def456?ref=twitter')).toBe('/incidents/abc123def456');
  });

  it('sends unusual spellings of a path to Astro uncached', () => {
    for (const url of ['//history', '/%68istory', '/x/../admin/tokens', '/./history', '/history//', '/.well-known/x']) {
      expect(cacheKeyOf(url), url).toBeNull();
    }
  });

  it('never shares the workspace, the write API or subscription links', () => {
    expect(isSharedPath('/admin')).toBe(false);
    expect(isSharedPath('/admin/tokens')).toBe(false);
    expect(isSharedPath('/api/admin/incidents')).toBe(false);
    expect(isSharedPath('/subscribe/manage')).toBe(false);
    expect(isSharedPath('/subscribe')).toBe(true);
    expect(isSharedPath('/administrators')).toBe(true);
    expect(isSharedPath('/history')).toBe(true);
    expect(isSharedPath('/healthz')).toBe(false); // about this process, answered on its thread
    expect(isSharedPath('/metrics')).toBe(false);
  });
});

describe('ROUTE_PARAMS', () => {
  it('lists every query parameter a public page or endpoint reads', () => {
    const pagesDir = path.resolve('src/pages');
    const files = (fs.readdirSync(pagesDir, { recursive: true }) as string[]).filter((f) => /\.(astro|ts)$/.test(f) && !f.startsWith('admin') && !f.startsWith(path.join('api', 'admin')));
    const reads: Array<[string, string]> = [];
    for (const file of files) {
      const source = fs.readFileSync(path.join(pagesDir, file), 'utf8');
      for (const match of source.matchAll(/searchParams\.(?:get|getAll|has)\('([^']+)'\)/g)) reads.push([file, match[1]!]);
      // Anything else that reads the query wholesale would escape this check.
      expect(source, file).not.toMatch(/searchParams\.(entries|keys|forEach|toString)|url\.search\b|Astro\.url\.search\b/);
    }
    expect(reads.length).toBeGreaterThan(0);
    for (const [file, name] of reads) {
      const route = '/' + file.replace(/\.(astro|ts)$/, '').replace(/(^|\/)index$/, '');
      if (!isSharedPath(route)) continue; // answered afresh every time: its parameters make no cache entries
      const listed = ROUTE_PARAMS.find(([pattern]) => pattern.test(route))?.[1] ?? [];
      expect(listed, `${route} reads ?${name}`).toContain(name);
    }
  });
});
