// HTTP caching per route class: strong ETags with 304 on If-None-Match (GET and HEAD),
// Last-Modified from the last data change, Cache-Control fit for a CDN — and nothing cacheable
// for the workspace, the write API, the health check or errors.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL, CDN_CACHE_CONTROL } from '../../src/server/http/cache-policy.ts';
import { parseCacheControl, parseCdnCacheControl, readAsSharedCache } from '../support/rfc9111.ts';
import { renameIncident } from '../support/db-rows.ts';
import { startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;
let failoverId: string;
let lastMonth: string;

beforeAll(async () => {
  server = await startServer();
  const db = new Database(server.databasePath, { readonly: true });
  failoverId = (db.prepare("select public_id from incidents where title like 'Email delivery outage%'").get() as { public_id: string }).public_id;
  db.close();
  lastMonth = ((await (await get('/api/uptime.json')).json()) as { previous_month: string }).previous_month;
});
afterAll(() => server?.stop());

const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

function lastChange(): number {
  const db = new Database(server.databasePath, { readonly: true });
  const { at } = db
    .prepare(
      `select max((select max(updated_at) from site_settings), (select max(updated_at) from incidents),
                  (select max(updated_at) from maintenances), (select max(updated_at) from postmortems),
                  (select max(updated_at) from components), (select max(updated_at) from component_groups)) as at`,
    )
    .get() as { at: number };
  db.close();
  return at;
}

// Routes whose bytes depend only on the data (not on the minute), so a 304 is deterministic.
const routes = (): [string, 'page' | 'feed' | 'api'][] => [
  ['/components/send-api', 'page'],
  [`/incidents/${failoverId}`, 'page'],
  ['/history?page=2', 'page'],
  ['/history.rss', 'feed'],
  ['/history.atom', 'feed'],
  ['/history.json', 'feed'],
  ['/components/send-api.rss', 'feed'],
  ['/maintenance.ics', 'feed'],
  ['/badge.svg', 'feed'],
  ['/components/send-api/badge.svg', 'feed'],
  ['/api/v2/summary.json', 'api'],
  ['/api/v2/components.json', 'api'],
  ['/api/v2/scheduled-maintenances.json', 'api'],
  [`/api/incidents/${failoverId}.json`, 'api'],
  [`/api/uptime.json?month=${lastMonth}`, 'api'],
];

describe('public responses', () => {
  it('carry a strong ETag, Last-Modified and the Cache-Control of their class', async () => {
    const modified = new Date(lastChange()).toUTCString();
    for (const [path, cls] of routes()) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('etag'), path).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(res.headers.get('cache-control'), path).toBe(CACHE_CONTROL[cls]);
      expect(res.headers.get('cdn-cache-control'), path).toBe(CDN_CACHE_CONTROL[cls]);
      expect(res.headers.get('last-modified'), path).toBe(modified);
      expect(res.headers.get('access-control-allow-origin'), path).toBe(cls === 'page' ? null : '*');
    }
  });

  it('may be kept and served stale for a day when the origin fails, by a CDN reading either header as the RFCs say', async () => {
    for (const [path] of routes()) {
      const res = await get(path);
      await res.arrayBuffer();
      const browserHeader = readAsSharedCache(parseCacheControl(res.headers.get('cache-control')!));
      const edgeHeader = readAsSharedCache(parseCdnCacheControl(res.headers.get('cdn-cache-control')!));
      for (const reading of [browserHeader, edgeHeader]) {
        expect(reading.mayStore, path).toBe(true);
        expect(reading.freshFor, path).toBeGreaterThan(0);
        expect(reading.staleIfError, path).toBeGreaterThanOrEqual(86_400);
      }
    }
  });

  it('answer 304 with no body to a matching If-None-Match, 200 otherwise', async () => {
    for (const [path, cls] of routes()) {
      const first = await get(path);
      const etag = first.headers.get('etag')!;
      const body = await first.arrayBuffer();
      const again = await get(path, { headers: { 'If-None-Match': etag } });
      expect(again.status, path).toBe(304);
      expect(await again.text(), path).toBe('');
      expect(again.headers.get('etag'), path).toBe(etag);
      expect(again.headers.get('cache-control'), path).toBe(CACHE_CONTROL[cls]);
      expect(again.headers.get('last-modified'), path).toBe(first.headers.get('last-modified'));
      expect((await get(path, { headers: { 'If-None-Match': `"stale", W/${etag}` } })).status, path).toBe(304);
      const changed = await get(path, { headers: { 'If-None-Match': '"something-else"' } });
      expect(changed.status, path).toBe(200);
      expect((await changed.arrayBuffer()).byteLength, path).toBe(body.byteLength);
    }
  });

  it('answer HEAD with the same validator, and 304 to a conditional HEAD', async () => {
    for (const [path] of routes()) {
      const etag = (await get(path)).headers.get('etag');
      const head = await get(path, { method: 'HEAD' });
      expect(head.status, path).toBe(200);
      expect(head.headers.get('etag'), path).toBe(etag);
      expect(await head.text(), path).toBe('');
      expect((await get(path, { method: 'HEAD', headers: { 'If-None-Match': etag! } })).status, path).toBe(304);
    }
  });

  it('revalidate the home page too (its text follows the clock, so it may change between minutes)', async () => {
    for (let attempt = 0; ; attempt++) {
      const etag = (await get('/')).headers.get('etag')!;
      const res = await get('/', { headers: { 'If-None-Match': etag } });
      if (res.status === 304 || attempt === 2) {
        expect(res.status).toBe(304);
        expect(res.headers.get('cache-control')).toBe(CACHE_CONTROL.page);
        break;
      }
    }
  });
});

describe('never cached', () => {
  it.each(['/admin', '/admin/incidents/new', '/api/admin/incidents'])('%s is private, no-store, without validators', async (path) => {
    const res = await get(path, { redirect: 'manual' });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('cdn-cache-control')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
  });

  it('/healthz is no-store and never answers 304', async () => {
    const res = await get('/healthz', { headers: { 'If-None-Match': '*' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
  });

  it.each(['/incidents/doesnotexist', '/no/such/page', '/components/nope.rss', '/api/incidents/nope.json'])(
    'the error %s is not stored',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    },
  );
});

describe('after a change', () => {
  it('serves new bytes with a new ETag and a later Last-Modified', async () => {
    const paths = [`/incidents/${failoverId}`, '/history.rss', '/api/v2/incidents.json', `/api/incidents/${failoverId}.json`];
    const before = await Promise.all(paths.map(async (p) => (await get(p)).headers));
    await new Promise((r) => setTimeout(r, 1100)); // Last-Modified has whole seconds
    renameIncident(server.databasePath, failoverId, 'Email outage after the Amsterdam power failure');
    for (const [i, path] of paths.entries()) {
      const res = await get(path, { headers: { 'If-None-Match': before[i]!.get('etag')! } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('Email outage after the Amsterdam power failure');
      expect(res.headers.get('etag'), path).not.toBe(before[i]!.get('etag'));
      expect(Date.parse(res.headers.get('last-modified')!), path).toBeGreaterThan(Date.parse(before[i]!.get('last-modified')!));
    }
  });
});
