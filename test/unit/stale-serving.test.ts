// Issue 12, finding 4: when the database cannot be read, readers get the last good bytes with a
// notice that they may be out of date, instead of an error; and a failure never evicts them.
import { describe, expect, it } from 'vitest';
import { RenderedCache, type Rendered } from '../../src/server/http/rendered-cache.ts';

const html = (text: string): Rendered => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=30', 'cdn-cache-control': 'max-age=30', etag: '"v1"' },
  body: Buffer.from(`<!doctype html><body><main id="main" class="wrap"><h1>${text}</h1></main></body>`),
});
const unavailable: Rendered = { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: Buffer.from('Status temporarily unavailable') };
const unreadable = () => Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
const TICK = 1000;

function harness() {
  const state: { version: number | Error; now: number; result: Rendered | Error; renders: number } = {
    version: 1,
    now: Date.UTC(2026, 11, 3, 9, 30),
    result: html('All systems operational'),
    renders: 0,
  };
  const cache = new RenderedCache({
    render: async () => {
      state.renders++;
      if (state.result instanceof Error) throw state.result;
      return state.result;
    },
    version: () => {
      if (state.version instanceof Error) throw state.version;
      return state.version;
    },
    now: () => state.now,
    tickMs: TICK,
    maxBytes: 1_000_000,
  });
  return { cache, state };
}

describe('serving stale when the database cannot be read', () => {
  it('answers the last good bytes with a notice, no-store and no validator when the version cannot be read', async () => {
    const { cache, state } = harness();
    await cache.get('/');
    state.version = unreadable();
    const stale = await cache.get('/');
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toContain(
      '<main id="main" class="wrap"><p class="stale-notice" role="status">This page may be out of date: Candor cannot read its data right now. It shows the status as of 2026-12-03 09:30 UTC.</p><h1>All systems operational</h1>',
    );
    expect(stale.headers['cache-control']).toBe('no-store');
    expect(stale.headers['etag']).toBeUndefined();
    expect(stale.headers['cdn-cache-control']).toBeUndefined();
    expect(stale.shareable).toBe(false);
    expect(cache.stats.fallbacks).toBe(1);
  });

  it('answers stale when a render throws or answers 5xx after a write, keeps the good bytes, and is fresh again once readable', async () => {
    const { cache, state } = harness();
    await cache.get('/');
    state.version = 2;
    state.result = unreadable();
    expect((await cache.get('/')).body.toString()).toContain('stale-notice');
    state.now += TICK; // the next try is a tick later
    state.version = 3;
    state.result = unavailable;
    const again = (await cache.get('/')).body.toString();
    expect(again).toContain('All systems operational');
    expect(again).toContain('stale-notice');
    state.now += TICK;
    state.result = html('Recovered');
    const fresh = await cache.get('/');
    expect(fresh.body.toString()).toContain('Recovered');
    expect(fresh.body.toString()).not.toContain('stale-notice');
    expect(fresh.shareable).toBe(true);
  });

  it('does not ask the database again for a tick after a failure', async () => {
    const { cache, state } = harness();
    await cache.get('/');
    state.version = 2;
    state.result = unreadable();
    await cache.get('/');
    const renders = state.renders;
    for (let i = 0; i < 5; i++) expect((await cache.get('/')).body.toString()).toContain('stale-notice');
    expect(state.renders).toBe(renders);
    state.now += TICK;
    await cache.get('/');
    expect(state.renders).toBe(renders + 1);
  });

  it('leaves JSON and feeds unchanged but for the headers', async () => {
    const { cache, state } = harness();
    const json = '{"status":{"indicator":"none"}}';
    state.result = { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=15', etag: '"j"' }, body: Buffer.from(json) };
    await cache.get('/api/v2/status.json');
    state.version = unreadable();
    const stale = await cache.get('/api/v2/status.json');
    expect(stale.body.toString()).toBe(json);
    expect(stale.headers['cache-control']).toBe('no-store');
  });

  it('answers the failure itself when there is nothing good to fall back on, and lets a 404 replace a page', async () => {
    const { cache, state } = harness();
    state.version = unreadable();
    await expect(cache.get('/')).rejects.toThrow(/malformed/);
    state.version = 1;
    state.result = unavailable;
    expect((await cache.get('/history')).status).toBe(503);
    state.result = html('Incident');
    await cache.get('/incidents/x');
    state.version = 2;
    state.result = { status: 404, headers: { 'content-type': 'text/html' }, body: Buffer.from('gone') };
    expect((await cache.get('/incidents/x')).status).toBe(404);
    state.version = 3;
    state.result = unreadable();
    await expect(cache.get('/incidents/x')).rejects.toThrow(/malformed/);
  });
});
