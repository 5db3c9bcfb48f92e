import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answer, etagFor, isShareable, negotiate, notModified, RenderedCache, toEntry, type Rendered } from '../../src/server/http/rendered-cache.ts';

const PUBLIC = 'public, max-age=30';
const page = (text: string, headers: Record<string, string> = {}): Rendered => ({
  status: 200,
  headers: { 'content-type': 'text/html', 'cache-control': PUBLIC, etag: '"abc"', ...headers },
  body: Buffer.from(text),
});
const big = (word: string) => `<p>${word}</p>`.repeat(200);

/** A cache over a fake renderer whose output, version and clock the test controls. */
function harness(tickMs = 1000) {
  const state = { version: 1, now: 0, renders: [] as string[], text: 'one' };
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const cache = new RenderedCache({
    render: async (url) => {
      state.renders.push(url);
      const text = state.text;
      if (gate) await gate;
      return page(big(text));
    },
    version: () => state.version,
    now: () => state.now,
    tickMs,
    maxBytes: 1_000_000,
  });
  const hold = () => {
    gate = new Promise((r) => (release = () => { gate = null; r(); }));
  };
  return { cache, state, hold, release: () => release?.() };
}

describe('negotiate', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    const both = { gzip: true, br: true };
    expect(negotiate('gzip, deflate, br', both)).toBe('br');
    expect(negotiate('gzip', both)).toBe('gzip');
    expect(negotiate('br;q=0, gzip;q=0.5', both)).toBe('gzip');
    expect(negotiate('*', both)).toBe('br');
    expect(negotiate('*, br;q=0', both)).toBe('gzip');
    expect(negotiate('identity', both)).toBe('identity');
    expect(negotiate(undefined, both)).toBe('identity');
    expect(negotiate('br', { gzip: true, br: false })).toBe('identity');
  });
});

describe('validators', () => {
  it('gives each encoding its own strong tag and accepts any of them for 304', () => {
    expect(etagFor('"abc"', 'identity')).toBe('"abc"');
    expect(etagFor('"abc"', 'br')).toBe('"abc-br"');
    expect(etagFor('"abc"', 'gzip')).toBe('"abc-gz"');
    expect(notModified('"abc-gz"', '"abc"')).toBe(true);
    expect(notModified('W/"abc-br"', '"abc"')).toBe(true);
    expect(notModified('"abd"', '"abc"')).toBe(false);
    expect(notModified(undefined, '"abc"')).toBe(false);
  });
});

describe('what may be shared', () => {
  it('shares public 200s only', () => {
    expect(isShareable(page('x'))).toBe(true);
    expect(isShareable(page('x', { 'cache-control': 'private, no-store' }))).toBe(false);
    expect(isShareable(page('x', { 'cache-control': 'no-store' }))).toBe(false);
    expect(isShareable({ ...page('x'), status: 404 })).toBe(false);
    expect(isShareable({ ...page('x'), headers: { ...page('x').headers, 'set-cookie': ['a=b'] } })).toBe(false);
  });
});

describe('answer', () => {
  it('sends the negotiated variant with its length, and it decodes to the rendered bytes', async () => {
    const entry = toEntry(page(big('status')), 1, 0);
    const br = await answer(entry, 'GET', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(br.headers['content-length']).toBe(String(br.body!.length));
    expect(zlib.brotliDecompressSync(br.body!).equals(entry.body)).toBe(true);
    const gz = await answer(entry, 'GET', { 'accept-encoding': 'gzip' });
    expect(zlib.gunzipSync(gz.body!).equals(entry.body)).toBe(true);
    const plain = await answer(entry, 'GET', {});
    expect(plain.body!.equals(entry.body)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD without a body and a matching validator with 304', async () => {
    const entry = toEntry(page(big('status')), 1, 0);
    const head = await answer(entry, 'HEAD', { 'accept-encoding': 'gzip' });
    expect(head.body).toBeNull();
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const revalidated = await answer(entry, 'GET', { 'accept-encoding': 'gzip', 'if-none-match': '"abc-br"' });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBeNull();
  });

  it('does not compress tiny or binary bodies', async () => {
    const tiny = toEntry(page('tiny'), 1, 0);
    expect(tiny.compressible).toBe(false);
    expect((await answer(tiny, 'GET', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
    expect(toEntry(page(big('x'), { 'content-type': 'image/png' }), 1, 0).compressible).toBe(false);
  });

  it('compresses on the first request for each encoding, once', async () => {
    const entry = toEntry(page(big('status')), 1, 0);
    expect(entry.variants).toEqual({});
    await answer(entry, 'GET', {});
    expect(entry.variants).toEqual({});
    const [a, b] = await Promise.all([answer(entry, 'GET', { 'accept-encoding': 'gzip' }), answer(entry, 'GET', { 'accept-encoding': 'gzip' })]);
    expect(a.body).toBe(b.body); // the same buffer: made once
    expect(Object.keys(entry.variants)).toEqual(['gzip']);
  });
});

describe('RenderedCache', () => {
  it('renders once per data version, and again on the first request after a write', async () => {
    const { cache, state } = harness();
    await cache.get('/');
    await cache.get('/');
    expect(state.renders).toHaveLength(1);
    state.version = 2;
    state.text = 'two';
    const after = await cache.get('/');
    expect(after.body.toString()).toContain('two');
    expect(state.renders).toHaveLength(2);
  });

  it('shares one render among concurrent misses', async () => {
    const { cache, state, hold, release } = harness();
    hold();
    const readers = Array.from({ length: 50 }, () => cache.get('/history.rss'));
    release();
    const entries = await Promise.all(readers);
    expect(state.renders).toHaveLength(1);
    expect(new Set(entries).size).toBe(1);
  });

  it('never joins a render started before a write', async () => {
    const { cache, state, hold, release } = harness();
    hold();
    const early = cache.get('/');
    state.version = 2;
    state.text = 'after the write';
    const late = cache.get('/');
    release();
    expect((await early).version).toBe(1);
    expect((await late).body.toString()).toContain('after the write');
    expect(state.renders).toHaveLength(2);
    // The older render finishing last does not replace the newer bytes.
    expect((await cache.get('/')).version).toBe(2);
  });

  it('re-renders on the clock tick: old bytes meanwhile, never more than two ticks old', async () => {
    const { cache, state } = harness(1000);
    await cache.get('/');
    state.now = 999;
    await cache.get('/');
    expect(state.renders).toHaveLength(1);
    state.now = 1500;
    state.text = 'later';
    const stale = await cache.get('/'); // answered at once, refreshed behind
    expect(stale.body.toString()).not.toContain('later');
    await new Promise((r) => setTimeout(r, 50));
    expect(state.renders).toHaveLength(2);
    expect((await cache.get('/')).body.toString()).toContain('later');
    state.now = 1500 + 2000;
    state.text = 'much later';
    expect((await cache.get('/')).body.toString()).toContain('much later'); // waited for the render
  });

  it('keeps nothing it may not share, and answers it once to whoever asked', async () => {
    const renders: number[] = [];
    const cache = new RenderedCache({
      render: async () => (renders.push(1), { ...page('gone'), status: 404 }),
      version: () => 1,
      tickMs: 1000,
      maxBytes: 1_000_000,
    });
    expect((await cache.get('/nope')).status).toBe(404);
    await cache.get('/nope');
    expect(renders).toHaveLength(2);
    expect(cache.stats.entries).toBe(0);
  });

  it('evicts the least recently used entries beyond its byte budget', async () => {
    const cache = new RenderedCache({
      render: async (url) => page(url.padEnd(10_000, '.')),
      version: () => 1,
      tickMs: 60_000,
      maxBytes: 30_000, // two entries (10 KB and room for their compressed variants)
    });
    await cache.get('/a');
    await cache.get('/b');
    await cache.get('/a'); // /a is now the most recent
    await cache.get('/c');
    expect(cache.stats.bytes).toBeLessThanOrEqual(30_000);
    const misses = cache.stats.misses;
    await cache.get('/a');
    expect(cache.stats.misses).toBe(misses);
    await cache.get('/b');
    expect(cache.stats.misses).toBe(misses + 1);
  });
});
