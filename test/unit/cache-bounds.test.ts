// Issue 12, finding 8: under cache-busting query strings and a crawl of many pages the server grew
// to 500-570 MB. The cache now keys on the parameters a page reads only, and is bounded by bytes and
// by entries whatever is asked; resident memory as a whole is measured by npm run bench:memory.
import { describe, expect, it } from 'vitest';
import { cacheKeyOf } from '../../src/server/http/front-server.ts';
import { RenderedCache, type Rendered } from '../../src/server/http/rendered-cache.ts';

const page = (url: string): Rendered => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=30' },
  body: Buffer.from(`<p>${url}</p>`.padEnd(4000, ' ')),
});

function crawl(maxBytes: number, maxEntries: number) {
  const renders: string[] = [];
  const cache = new RenderedCache({
    render: async (url) => {
      renders.push(url);
      return page(url);
    },
    version: () => 1,
    now: () => 0,
    tickMs: 60_000,
    maxBytes,
    maxEntries,
  });
  return { cache, renders };
}

describe('the cache under cache-busting and a crawl (finding 8)', () => {
  it('makes one entry for every cache-busting spelling of a page', async () => {
    const { cache, renders } = crawl(1_000_000, 100);
    for (let i = 0; i < 500; i++) {
      for (const url of [`/?cb=${i}`, `/history?page=2&utm_source=${i}`, `/uptime?x=${i}&month=2026-10`]) {
        const key = cacheKeyOf(url);
        expect(key).not.toBeNull();
        await cache.get(key!);
      }
    }
    expect(new Set(renders)).toEqual(new Set(['/', '/history?page=2', '/uptime?month=2026-10']));
    expect(cache.stats.entries).toBe(3);
  });

  it('stays within its byte bound and its entry bound however many pages are crawled', async () => {
    const byBytes = crawl(200_000, 10_000);
    const byEntries = crawl(10_000_000, 25);
    for (let i = 0; i < 2000; i++) {
      await byBytes.cache.get(`/incidents/${i}`);
      await byEntries.cache.get(`/incidents/${i}`);
      expect(byBytes.cache.stats.bytes).toBeLessThanOrEqual(200_000);
      expect(byEntries.cache.stats.entries).toBeLessThanOrEqual(25);
    }
    expect(byBytes.cache.stats.entries).toBeGreaterThan(10); // bounded, not emptied
    expect(byEntries.cache.stats.entries).toBe(25);
  });
});
