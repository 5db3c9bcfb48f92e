import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { answer, CROWD_MS, CROWD_READS, DEPENDS_HEADER, etagFor, isShareable, negotiate, notModified, POLL_MS, RenderedCache, STALE_MS, toEntry, type Entry, type Rendered } from '../../src/server/http/rendered-cache.ts';

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

  it('answers repeated requests the same as the first, per encoding, HEAD and validators included', async () => {
    const entry = toEntry(page(big('status')), 1, 0);
    const first = await answer(entry, 'GET', { 'accept-encoding': 'gzip, br' });
    const again = await answer(entry, 'GET', { 'accept-encoding': 'gzip, br' });
    expect(again).toEqual(first);
    expect(first.headers['content-encoding']).toBe('br');
    const otherSpelling = await answer(entry, 'GET', { 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect(otherSpelling.body).toBe(again.body);
    const gz = await answer(entry, 'GET', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body!).equals(entry.body)).toBe(true);
    const plain = await answer(entry, 'GET', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body!.equals(entry.body)).toBe(true);
    const head = await answer(entry, 'HEAD', { 'accept-encoding': 'br' });
    expect(head.body).toBeNull();
    expect(head.headers['content-length']).toBe(String(first.body!.length));
    const revalidated = await answer(entry, 'GET', { 'accept-encoding': 'br', 'if-none-match': String(first.headers['etag']) });
    expect(revalidated.status).toBe(304);
    expect((await answer(entry, 'GET', { 'accept-encoding': 'br' })).status).toBe(200);
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
    // The refresh runs behind the answer: wait until it has landed, not for a guess at how long it takes.
    await vi.waitFor(async () => expect((await cache.get('/')).body.toString()).toContain('later'), { timeout: 10_000, interval: 10 });
    expect(state.renders).toHaveLength(2);
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

/** Whether a read has been answered once pending callbacks ran (false: it waits for a render). */
async function settled(read: Promise<Entry>): Promise<boolean> {
  let done = false;
  void read.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 0));
  return done;
}

/**
 * A cache whose renders the test finishes by hand, in any order: each render shows the data
 * version it was started at.
 */
function manual() {
  const state = { version: 1, now: 0, renders: 0 };
  const pending: { url: string; version: number; finish: () => void }[] = [];
  /** As RenderPool does: the version when a worker took the job, if it waited in the queue. */
  let stamp: number | undefined;
  const stampNext = (version: number) => {
    stamp = version;
  };
  const cache = new RenderedCache({
    render: (url) => {
      state.renders++;
      const asked = state.version;
      return new Promise<Rendered>((resolve) =>
        pending.push({
          url,
          version: asked,
          finish: () => {
            const version = stamp ?? asked;
            stamp = undefined;
            resolve({ ...page(big(`version ${version}`)), version: version === asked ? undefined : version });
          },
        }),
      );
    },
    version: () => state.version,
    now: () => state.now,
    tickMs: 60_000,
    maxBytes: 1_000_000,
  });
  /** Finishes every render started so far (newest first, the unkind order) and lets them settle. */
  const finishAll = async () => {
    for (const job of pending.splice(0).reverse()) job.finish();
    await new Promise((r) => setTimeout(r, 0));
  };
  const shown = (entry: Entry) => Number(/version (\d+)/.exec(entry.body.toString())![1]);
  /** The read is held for a render (not answered before one finishes), then shows `version`. */
  const waitsFor = async (read: Promise<Entry>, version: number) => {
    expect(await settled(read)).toBe(false);
    await finishAll();
    expect(shown(await read)).toBe(version);
  };
  return { cache, state, pending, finishAll, shown, stampNext, waitsFor };
}

describe('freshness after a write', () => {
  it('keeps the three promises within 1 s: the stale window counts from before the write', () => {
    // Counted from the start of the last look that did not see the write, so neither the poll
    // interval nor a busy event loop adds to it (next test); the rest is room for two clocks.
    expect(STALE_MS).toBeLessThanOrEqual(1000 - 200);
    expect(POLL_MS).toBeLessThan(STALE_MS);
  });

  it('rule 2: a look that comes late does not stretch the window', async () => {
    const { cache, state, finishAll, shown } = manual();
    const first = cache.get('/'); // looks at 0: version 1
    await finishAll();
    await first;
    state.version = 2; // written and acknowledged at 10
    state.now = 700; // the next look comes late (a busy event loop)
    cache.observe();
    const rendering = cache.get('/');
    state.now = STALE_MS - 1; // clocks only move forward in the server; this checks the bound itself
    expect(shown(await cache.get('/'))).toBe(1);
    state.now = 1010; // 1 s after the acknowledgement
    const late = cache.get('/');
    await finishAll();
    expect(shown(await late)).toBe(2);
    expect(shown(await rendering)).toBe(2);
  });

  it('rule 1: the writer sees the write on the next request, while others may still get the previous page', async () => {
    const { cache, state, finishAll, shown } = manual();
    const first = cache.get('/');
    await finishAll();
    expect(shown(await first)).toBe(1);
    state.version = 2; // the write is acknowledged
    state.now = 10;
    const firstReader = cache.get('/'); // starts the render and waits for it
    const nextReader = await cache.get('/'); // answered at once from the previous bytes
    expect(shown(nextReader)).toBe(1);
    const writer = cache.get('/', { fresh: true });
    await finishAll();
    expect(shown(await writer)).toBe(2);
    expect(shown(await firstReader)).toBe(2);
    expect(cache.stats.stale).toBe(1);
  });

  it('rule 1: one reader alone always gets the current page', async () => {
    const { cache, state, finishAll, shown } = manual();
    const first = cache.get('/');
    await finishAll();
    await first;
    state.version = 2;
    const read = cache.get('/');
    await finishAll();
    expect(shown(await read)).toBe(2);
  });

  it('rule 2: a read starting STALE_MS after the last look that missed the write waits for the new page', async () => {
    const { cache, state, finishAll, shown } = manual();
    const first = cache.get('/');
    await finishAll();
    await first;
    state.now = 50;
    cache.observe(); // the server's poll: still version 1
    state.version = 2; // written after that look
    state.now = 100;
    cache.observe(); // the next poll sees the write, though nobody reads yet
    state.now = 200;
    const rendering = cache.get('/'); // a render is under way from now on
    state.now = 50 + STALE_MS - 1;
    expect(shown(await cache.get('/'))).toBe(1);
    state.now = 50 + STALE_MS;
    const late = cache.get('/');
    await finishAll();
    expect(shown(await late)).toBe(2);
    expect(shown(await rendering)).toBe(2);
  });

  it('rule 2: a stream of writes does not stretch the window: it counts from the first write the bytes miss', async () => {
    const { cache, state, finishAll, shown } = manual();
    const first = cache.get('/');
    await finishAll();
    await first;
    const waiting: Promise<Entry>[] = [];
    for (let v = 2; v <= 6; v++) {
      state.version = v;
      state.now = (v - 2) * (STALE_MS / 5); // a write every fifth of the window; renders never finish
      cache.observe();
      // The first reader after version 2 waits for its render; while that runs, readers of later
      // versions get the previous bytes within the window instead of queueing more renders.
      waiting.push(cache.get('/'));
    }
    expect(shown(await cache.get('/'))).toBe(1); // within the window of version 2
    state.now = STALE_MS; // one full window after version 2 was first seen
    const read = cache.get('/');
    await finishAll();
    expect(shown(await read)).toBe(6);
    expect((await Promise.all(waiting)).map(shown)).toEqual([2, 1, 1, 1, 1]);
  });

  it('under a stream of writes, bytes that finished rendering after the write they miss are answered at once while the page renders again, within the window only', async () => {
    const { cache, state, finishAll, shown, waitsFor } = manual();
    const first = cache.get('/');
    await finishAll();
    await first;
    state.version = 2;
    state.now = 10;
    const waiting = cache.get('/'); // the first reader after the write starts the render and waits
    state.version = 3;
    state.now = 20;
    cache.observe(); // another write lands while it renders
    state.now = 30;
    await finishAll();
    expect(shown(await waiting)).toBe(2);
    // Version 2's bytes finished after version 3 was seen: answered at once, and the render starts.
    const before = state.renders;
    expect(shown(await cache.get('/'))).toBe(2);
    expect(state.renders).toBe(before + 1);
    const writer = cache.get('/', { fresh: true }); // joins that render
    await finishAll();
    expect(shown(await writer)).toBe(3);
    expect(state.renders).toBe(before + 1);

    // A lone write after bytes that finished before it: the reader waits for the new page.
    state.version = 4;
    state.now = 40;
    cache.observe();
    state.now = 41;
    const alone = cache.get('/');
    await waitsFor(alone, 4);

    // Bytes that finished after the write they miss, read STALE_MS after it was seen: the reader waits.
    state.version = 5;
    state.now = 50;
    const again = cache.get('/');
    state.version = 6;
    state.now = 60;
    cache.observe();
    state.now = 70;
    await finishAll();
    expect(shown(await again)).toBe(5);
    state.now = 60 + STALE_MS;
    const late = cache.get('/');
    await waitsFor(late, 6);
  });

  it('coalesces renders across writes: a render stamped when it began counts as that version', async () => {
    const { cache, state, finishAll, shown, stampNext } = manual();
    const first = cache.get('/');
    await finishAll();
    await first;
    state.version = 2;
    cache.observe();
    const waiting = cache.get('/');
    // Writes land while the render waits for a worker; it starts after version 4 was seen.
    state.version = 4;
    cache.observe();
    stampNext(4);
    await finishAll();
    expect(shown(await waiting)).toBe(4);
    const before = state.renders;
    expect(shown(await cache.get('/'))).toBe(4); // current: no render for version 4
    expect(state.renders).toBe(before);
  });

  it('rule 3: nobody sees an older page after a newer one, whatever order renders finish in', async () => {
    const { cache, state, pending, shown } = manual();
    const seen: number[] = [];
    // Writes, reads (some by the writer), the clock and render completions, interleaved.
    const steps = 'r w r f r R w w r R t f r w t r f R r f'.split(' ');
    for (const step of steps) {
      if (step === 'w') {
        state.version++;
        cache.observe();
      } else if (step === 't') state.now += STALE_MS / 2;
      else if (step === 'f') pending.splice(0, 1).forEach((job) => job.finish());
      else {
        const answer = cache.get('/', { fresh: step === 'R' });
        while (pending.length > 0) {
          // a read that waits is let through by finishing renders, oldest last
          pending.splice(-1, 1).forEach((job) => job.finish());
          await new Promise((r) => setTimeout(r, 0));
        }
        seen.push(shown(await answer));
      }
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(seen.length).toBe(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(state.version);
  });
});

describe('one look at the version per turn of the event loop', () => {
  it('shares the look among the reads of one turn, and looks again in the next turn and after an explicit look', async () => {
    let looks = 0;
    const state = { version: 1 };
    const cache = new RenderedCache({
      render: async () => page(big(`version ${state.version}`)),
      version: () => (looks++, state.version),
      tickMs: 60_000,
      maxBytes: 1_000_000,
      lookOncePerTurn: true,
    });
    const shown = async (read: Promise<Entry>) => Number(/version (\d+)/.exec((await read).body.toString())![1]);
    expect(await shown(cache.get('/'))).toBe(1);
    await new Promise((r) => setImmediate(r));
    const before = looks;
    const a = cache.get('/');
    state.version = 2; // lands after this turn's look: its reads were all received before it
    const b = cache.get('/');
    expect(looks).toBe(before + 1);
    expect([await shown(a), await shown(b)]).toEqual([1, 1]);
    cache.observe(); // a write through this server looks again as it finishes
    expect(await shown(cache.get('/'))).toBe(2);
    state.version = 3;
    await new Promise((r) => setImmediate(r));
    expect(await shown(cache.get('/'))).toBe(3);
  });
});

describe('only what a write touched renders again', () => {
  /** Pages that say what they show (as DEPENDS_HEADER), over versions and changes the test controls. */
  function scoped() {
    const state = { version: 1, changed: [] as string[] | null, renders: [] as string[] };
    const deps: Record<string, string | undefined> = { '/incidents/a': 'incident:a', '/incidents/b': 'incident:b', '/components/mail': 'component:mail', '/': undefined };
    const cache = new RenderedCache({
      render: async (url) => {
        state.renders.push(url);
        const said = deps[url];
        return page(big(`${url} at ${state.version}`), said === undefined ? {} : { [DEPENDS_HEADER]: said });
      },
      version: () => {
        const seen = { version: state.version, changed: state.changed };
        state.changed = [];
        return seen;
      },
      now: () => 0,
      tickMs: 60_000,
      maxBytes: 1_000_000,
    });
    const write = (changed: string[] | null) => {
      state.version++;
      state.changed = changed;
      cache.observe();
    };
    const readAll = () => Promise.all(Object.keys(deps).map((url) => cache.get(url)));
    return { cache, state, write, readAll };
  }

  it('re-renders the written incident, its components and pages that show everything, not the others', async () => {
    const { state, write, readAll } = scoped();
    await readAll();
    state.renders.length = 0;
    write(['incident:a', 'component:mail']);
    const after = await readAll();
    expect(state.renders.sort()).toEqual(['/', '/components/mail', '/incidents/a']);
    // The untouched page is answered as the current version, its bytes (and so its ETag) unchanged.
    expect(after[1]!.version).toBe(2);
    expect(after[1]!.body.toString()).toContain('/incidents/b at 1');
    // The page said what it shows to the cache only: no reader ever sees the header.
    expect(after[1]!.headers[DEPENDS_HEADER]).toBeUndefined();
    expect(after.every((e) => e.deps === null || !('x-candor-depends' in e.headers))).toBe(true);
  });

  it('carries a page forward over many untouched writes, and stops at the first that touches it', async () => {
    const { state, write, readAll } = scoped();
    await readAll();
    for (let i = 0; i < 5; i++) write(['incident:a']);
    write(['incident:b']);
    write(['incident:a']);
    state.renders.length = 0;
    await readAll();
    expect(state.renders.sort()).toEqual(['/', '/incidents/a', '/incidents/b']);
  });

  it('renders everything again after a change to everything (*) or changes it cannot tell (null)', async () => {
    for (const changed of [['*'], null]) {
      const { state, write, readAll } = scoped();
      await readAll();
      state.renders.length = 0;
      write(changed);
      await readAll();
      expect(state.renders.sort()).toEqual(['/', '/components/mail', '/incidents/a', '/incidents/b']);
    }
  });

  it('keeps a render that finished after an unrelated write as current', async () => {
    const { cache, state, write } = scoped();
    const pending = cache.get('/incidents/b');
    write(['incident:a']);
    const entry = await pending;
    // Rendered from version 1's data; the write since touched another incident: current at 2.
    expect(entry.body.toString()).toContain('/incidents/b at 1');
    expect(entry.version).toBe(2);
    state.renders.length = 0;
    expect((await cache.get('/incidents/b')).body.toString()).toContain('/incidents/b at 1');
    expect(state.renders).toEqual([]);
  });
});

describe('with no version to trust', () => {
  it('reuses nothing and keeps nothing: every reader gets a fresh render', async () => {
    let untrusted = 0;
    let renders = 0;
    const cache = new RenderedCache({
      render: async () => page(big(`render ${++renders}`)),
      version: () => ({ version: --untrusted, changed: null, trusted: false }),
      tickMs: 60_000,
      maxBytes: 1_000_000,
    });
    expect((await cache.get('/')).body.toString()).toContain('render 1');
    expect((await cache.get('/')).body.toString()).toContain('render 2');
    expect(cache.stats.entries).toBe(0);
  });

  it('compresses feeds of every kind, JSON Feed included', () => {
    for (const type of ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json']) {
      expect(toEntry(page(big('item'), { 'content-type': type }), 1, 0).compressible, type).toBe(true);
    }
  });
});

describe('which renders readers wait for', () => {
  it('asks for a render a reader waits for as urgent, a refresh behind as not, and expedites a refresh a reader then joins', async () => {
    const asked: [string, boolean][] = [];
    const expedited: string[] = [];
    const state = { now: 0 };
    let release: (() => void) | null = null;
    const cache = new RenderedCache({
      render: async (url, urgent) => {
        asked.push([url, urgent]);
        if (!urgent) await new Promise<void>((r) => (release = r));
        return page(big('one'));
      },
      expedite: (url) => expedited.push(url),
      version: () => 1,
      now: () => state.now,
      tickMs: 1000,
      maxBytes: 1_000_000,
    });
    await cache.get('/'); // nothing stored: the reader waits
    expect(asked).toEqual([['/', true]]);
    state.now = 1500; // a tick old: answered now, refreshed behind
    await cache.get('/');
    expect(asked).toEqual([['/', true], ['/', false]]);
    expect(expedited).toEqual([]);
    state.now = 2500; // two ticks old: this reader waits, for the refresh already asked for
    const waiting = cache.get('/');
    expect(asked).toHaveLength(2); // no second render
    expect(expedited).toEqual(['/']);
    release!();
    expect((await waiting).renderedAt).toBe(1500);
  });
});

describe('a brotli variant made by the renderer', () => {
  it('is the entry\'s br variant at once: br readers get it, nothing is compressed again', async () => {
    const body = big('ready');
    const br = zlib.brotliCompressSync(Buffer.from(body));
    const entry = toEntry({ ...page(body), br }, 1, 0);
    expect(await entry.variants.br).toBe(br);
    const sent = await answer(entry, 'GET', { 'accept-encoding': 'br' });
    expect(sent.headers['content-encoding']).toBe('br');
    expect(sent.body).toBe(br);
    // Not made for a page not worth compressing, whatever the renderer says.
    expect(toEntry({ ...page('tiny'), br }, 1, 0).variants.br).toBeUndefined();
  });
});

describe('a page read by a crowd', () => {
  /** A stored page at version 1, then `reads` answers from memory at the given times. */
  async function readBy(times: number[]) {
    const m = manual();
    const first = m.cache.get('/');
    await m.finishAll();
    await first;
    for (const at of times) {
      m.state.now = at;
      expect(m.shown(await m.cache.get('/'))).toBe(1);
    }
    return m;
  }

  it('after a write, answers its next reader from the previous bytes within the window while it renders again', async () => {
    const { cache, state, shown, waitsFor } = await readBy([100, 200, 300, 400].slice(0, CROWD_READS));
    state.version = 2;
    state.now = 450;
    const before = state.renders;
    const next = cache.get('/');
    expect(await settled(next)).toBe(true); // not held up by the render
    expect(shown(await next)).toBe(1);
    expect(state.renders).toBe(before + 1); // the render started
    const writer = cache.get('/', { fresh: true }); // rule 1: the writer still waits for the write
    await waitsFor(writer, 2);
    expect(shown(await cache.get('/'))).toBe(2);
  });

  it('still never past the window: a read STALE_MS after the write waits', async () => {
    const { cache, state, waitsFor } = await readBy([100, 200, 300, 400].slice(0, CROWD_READS));
    state.version = 2; // written after the last look, at 400
    state.now = 400 + STALE_MS;
    await waitsFor(cache.get('/'), 2);
  });

  it('is not one person reloading: fewer reads, or reads spread over more than CROWD_MS, and the reader waits', async () => {
    for (const times of [[100, 200, 300].slice(0, CROWD_READS - 1), [0, 300, 600, CROWD_MS + 100].slice(-CROWD_READS)]) {
      const { cache, state, waitsFor } = await readBy(times);
      state.version = 2;
      state.now = times.at(-1)! + 50;
      await waitsFor(cache.get('/'), 2);
    }
  });
});
