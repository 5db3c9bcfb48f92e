// The outage-day read path: public responses kept as rendered bytes (with their ETag and gzip and
// brotli variants), so thousands of readers refreshing at once cost a Map lookup each, not a render.
// Renders happen elsewhere (RenderPool: worker threads), never on the thread that answers.
//
// An entry is current while two things hold:
//  - the data version it was rendered at is still the current one. Every command bumps the version
//    in its own transaction.
//  - its clock tick has not passed. Pages also depend on the clock (the live duration of an open
//    incident, "updated 3 minutes ago", today's bar), so an entry older than one tick is re-rendered.
//    Within the same data version the old bytes are still served while the new ones render
//    (for entries less than two ticks old), so no text is ever more than two ticks behind the clock.
//
// After a write, the first reader of a page starts its render and waits; readers arriving while it
// renders are not held up. Under a stream of writes, bytes that finished rendering only after the
// write they miss was seen count the same (they were being rendered as it landed): the next reader
// is answered from them at once and starts the next render, within the same window (rule 2).
// Freshness rules (test/unit/rendered-cache.test.ts):
//  1. The writer sees the write on the next request: a read marked `fresh` (see front-server.ts:
//     a staff cookie, a token, or the address a write just came from) always waits for the current
//     version.
//  2. Any read that starts more than 1 s after a write was acknowledged shows it: the previous
//     version's bytes are answered only within STALE_MS (< 1 s) of the start of the last look that
//     did not see the next version yet. That write committed after that look began, and was
//     acknowledged after it committed, so the window closes before 1 s after the acknowledgement
//     however late the next look comes (a busy event loop only shortens the window).
//  3. Nobody gets an older page after a newer one: an entry is replaced only by a newer one, and a
//     stale answer is always the newest stored.
// Concurrent renders of the same URL and version are one render (coalesced), and a write makes a
// page render again only when someone asks for it.
//
// Only the pages a write can change render again. A page may say what it shows (DEPENDS_HEADER:
// `incident:<id>`, `component:<slug>`…, set through `dependsOn` in page code); observe() learns
// which of those the writes since its last look touched (change-feed.ts), and an entry none of them
// touched is carried forward to the new version unchanged: its bytes are that version's page too.
// A page that says nothing, a write that touches `*` (names, groups, policies, settings), or
// changes that cannot be told for sure make every page render again, as before.
//
// Serve stale, fail honest: when the database cannot be read (the version query throws, a render
// fails, or a page answers 5xx: storage-fault-response.ts turns an unreadable database into 503),
// readers get the last good bytes of that URL instead, marked (staleOf): HTML pages get a short
// notice that they may be out of date, and every kind gets `no-store` and no validator, so no other
// cache keeps them. A failure never evicts the good bytes, and a URL that just failed is not
// rendered again for a tick (a damaged database must not keep the render worker busy).
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ifNoneMatchHits } from './etag.ts';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** A response as rendered, before any negotiation. */
export interface Rendered {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** The data version when the render began, when known (RenderPool's stamp): at least the one asked for. */
  version?: number | undefined;
  /**
   * The brotli variant, when the renderer made it (the render worker does, for pages worth it):
   * null when it would not be smaller.
   */
  br?: Buffer | null | undefined;
}

/**
 * Set on a cache render's response by the pages that say what they show (space-separated scopes);
 * the cache takes it off, so no reader ever sees it.
 */
export const DEPENDS_HEADER = 'x-candor-depends';
/** Marks the request of a cache render (front-server.ts renderThrough): only then is DEPENDS_HEADER set. */
export const CACHE_RENDER_HEADER = 'x-candor-cache-render';

export interface Entry extends Rendered {
  /** Whether the response may be kept and shared (public, 2xx, no cookie). */
  shareable: boolean;
  /** The data version these bytes are the page at (moved forward past writes that did not touch it). */
  version: number;
  /** The scopes the page shows (DEPENDS_HEADER); null: it may show anything, every write touches it. */
  deps: readonly string[] | null;
  renderedAt: number;
  /** When this process stored it (its render finished); undefined for entries never stored. */
  storedAt?: number;
  /** When it was last answered from memory (the last CROWD_READS times, oldest first). */
  answeredAt?: number[];
  etag: string | null;
  /** Worth compressing (shareable text of some size). */
  compressible: boolean;
  /** Compressed variants, made on the first request for each. */
  variants: { gzip?: Promise<Buffer | null>; br?: Promise<Buffer | null> };
}

export type Encoding = 'br' | 'gzip' | 'identity';

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript|manifest\+json)|image\/svg\+xml)/;
/** Below this, compression costs more than it saves (headers alone are a few hundred bytes). */
const MIN_COMPRESS_BYTES = 512;

function header(rendered: Rendered, name: string): string | undefined {
  const value = rendered.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Public, successful, no Set-Cookie: the same bytes are right for every reader. */
export function isShareable(rendered: Rendered): boolean {
  if (rendered.status !== 200) return false;
  if (rendered.headers['set-cookie'] !== undefined) return false;
  const cacheControl = header(rendered, 'cache-control') ?? '';
  return /(^|,)\s*public\s*(,|$)/i.test(cacheControl) && !/no-store|private/i.test(cacheControl);
}

/**
 * Whether gzip and brotli variants are worth making: text of some size. They are made on the first
 * request that asks for each (most readers do; the static export and some bots never do), off the
 * event loop (zlib runs on the thread pool), once per entry however many readers wait.
 */
export function isCompressible(rendered: Rendered): boolean {
  return rendered.body.length >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(header(rendered, 'content-type') ?? '');
}

/** Kept by the cache with compressed variants: shareable and compressible (the render worker asks too). */
export function worthCompressing(rendered: Rendered): boolean {
  return isShareable(rendered) && isCompressible(rendered);
}

/**
 * Middle settings: the first readers after a write wait for them, and brotli 6 takes about 2 ms
 * on a 120 KB page where brotli 9 takes 13 ms for 4% fewer bytes (gzip 6 vs 9: 1 ms vs 2.5 ms, +6%).
 * Null when the result would not be smaller.
 */
export async function compress(body: Buffer, encoding: 'gzip' | 'br'): Promise<Buffer | null> {
  const packed = encoding === 'gzip' ? await gzip(body, { level: 6 }) : await brotli(body, brotliOptions(body.length));
  return packed.length < body.length ? packed : null;
}

/**
 * The brotli variant made at once, on the calling thread: the render worker makes it right after
 * the render, so an entry reaches the cache with it and no reader waits for it (most ask for it).
 */
export function compressBrotliNow(body: Buffer): Buffer | null {
  const packed = zlib.brotliCompressSync(body, brotliOptions(body.length));
  return packed.length < body.length ? packed : null;
}

function brotliOptions(bytes: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 6,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes,
      // A window no larger than the body compresses it the same, and spares the encoder's
      // 4 MB default ring buffer per call (memory the allocator keeps once touched).
      [zlib.constants.BROTLI_PARAM_LGWIN]: Math.max(zlib.constants.BROTLI_MIN_WINDOW_BITS, Math.min(zlib.constants.BROTLI_MAX_WINDOW_BITS, Math.ceil(Math.log2(bytes + 1)))),
    },
  };
}

/** The entry's variant in that encoding, made on first use and then kept with it. */
export function variantOf(entry: Entry, encoding: 'gzip' | 'br'): Promise<Buffer | null> {
  let pending = entry.variants[encoding];
  if (!pending) {
    pending = compress(entry.body, encoding);
    entry.variants[encoding] = pending;
  }
  return pending;
}

export function toEntry(rendered: Rendered, version: number, renderedAt: number): Entry {
  const shareable = isShareable(rendered);
  const said = header(rendered, DEPENDS_HEADER);
  const headers = { ...rendered.headers };
  delete headers[DEPENDS_HEADER];
  const { br, ...response } = rendered;
  const compressible = worthCompressing(rendered);
  return {
    ...response,
    headers,
    deps: said === undefined ? null : said.split(' ').filter(Boolean),
    shareable,
    compressible,
    variants: compressible && br !== undefined ? { br: Promise.resolve(br) } : {},
    version,
    renderedAt,
    etag: header(rendered, 'etag') ?? null,
  };
}

/** The best encoding the client accepts among those the entry has (RFC 9110 §12.5.3, q=0 refuses). */
export function negotiate(acceptEncoding: string | undefined, available: { gzip: boolean; br: boolean }): Encoding {
  if (!acceptEncoding) return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const accepts = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (available.br && accepts('br')) return 'br';
  if (available.gzip && (accepts('gzip') || accepts('x-gzip'))) return 'gzip';
  return 'identity';
}

/** Distinct strong validators per encoding: the bytes differ, so must the tags. */
export function etagFor(etag: string, encoding: Encoding): string {
  if (encoding === 'identity') return etag;
  return `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
}

/** If-None-Match against any encoding's tag of this entry (a client may switch encodings). */
export function notModified(ifNoneMatch: string | undefined, etag: string | null): boolean {
  if (!ifNoneMatch || etag === null) return false;
  const header = ifNoneMatch;
  return (['identity', 'gzip', 'br'] as const).some((e) => ifNoneMatchHits(header, etagFor(etag, e)));
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | null;
}

/** Accept-Encoding values seen, with the encoding they choose when both are on offer: a few dozen spellings. */
const chosenEncodings = new Map<string, Encoding>();

function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (acceptEncoding === undefined) return 'identity';
  let chosen = chosenEncodings.get(acceptEncoding);
  if (chosen === undefined) {
    chosen = negotiate(acceptEncoding, { gzip: true, br: true });
    if (chosenEncodings.size >= 256) chosenEncodings.clear();
    chosenEncodings.set(acceptEncoding, chosen);
  }
  return chosen;
}

/**
 * Full answers to plain GETs, kept per entry and encoding from its second request on (most pages a
 * crawler reads once never need them): the hit path then builds no headers.
 */
const preparedAnswers = new WeakMap<Entry, Partial<Record<Encoding, Answer>>>();

/** The bytes and headers to send for one request, given its method and request headers. */
export async function answer(entry: Entry, method: string, requestHeaders: { 'accept-encoding'?: string; 'if-none-match'?: string }): Promise<Answer> {
  if (!entry.shareable || requestHeaders['if-none-match'] !== undefined) return answerAfresh(entry, method, requestHeaders);
  const encoding = entry.compressible ? chooseEncoding(requestHeaders['accept-encoding']) : 'identity';
  const prepared = preparedAnswers.get(entry);
  if (!prepared) {
    preparedAnswers.set(entry, {});
    return answerAfresh(entry, method, requestHeaders);
  }
  let full = prepared[encoding];
  if (!full) {
    full = await answerAfresh(entry, 'GET', { 'accept-encoding': encoding });
    prepared[encoding] = full;
  }
  return method === 'HEAD' ? { ...full, body: null } : full;
}

async function answerAfresh(entry: Entry, method: string, requestHeaders: { 'accept-encoding'?: string; 'if-none-match'?: string }): Promise<Answer> {
  const headers: Record<string, string | string[]> = { ...entry.headers };
  delete headers['content-length'];
  delete headers['content-encoding'];
  delete headers['transfer-encoding'];
  if (!entry.shareable) {
    return { status: entry.status, headers: { ...headers, 'content-length': String(entry.body.length) }, body: method === 'HEAD' ? null : entry.body };
  }
  if (entry.compressible) headers['vary'] = 'Accept-Encoding';
  let encoding = negotiate(requestHeaders['accept-encoding'], { gzip: entry.compressible, br: entry.compressible });
  let body = entry.body;
  if (encoding !== 'identity') {
    const packed = await variantOf(entry, encoding);
    if (packed === null) encoding = 'identity';
    else body = packed;
  }
  if (entry.etag !== null) headers['etag'] = etagFor(entry.etag, encoding);
  if (notModified(requestHeaders['if-none-match'], entry.etag)) {
    delete headers['content-type'];
    return { status: 304, headers, body: null };
  }
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  return { status: entry.status, headers, body: method === 'HEAD' ? null : body };
}

const MAIN_OPENS = '<main id="main" class="wrap">';

/**
 * An entry's last good bytes as answered while the database cannot be read: HTML pages get a notice
 * at the top of their main content saying when they were rendered; every kind gets `no-store` and
 * no validator (the bytes differ from the tagged ones, and no other cache should keep them).
 */
export function staleOf(entry: Entry): Entry {
  const headers: Record<string, string | string[]> = { ...entry.headers, 'cache-control': 'no-store' };
  delete headers['etag'];
  delete headers['cdn-cache-control'];
  let body = entry.body;
  if (/^text\/html/i.test(header(entry, 'content-type') ?? '')) {
    const html = body.toString('utf8');
    const at = new Date(entry.renderedAt).toISOString().slice(0, 16).replace('T', ' ');
    const notice = `<p class="stale-notice" role="status">This page may be out of date: Candor cannot read its data right now. It shows the status as of ${at} UTC.</p>`;
    if (html.includes(MAIN_OPENS)) body = Buffer.from(html.replace(MAIN_OPENS, MAIN_OPENS + notice));
  }
  return toEntry({ status: entry.status, headers, body }, entry.version, entry.renderedAt);
}

/** One look at the database: its data version, and what the writes since the previous look touched. */
export interface Observed {
  version: number;
  /**
   * False when there is no version to trust (the cache switched off, no settings row): then
   * nothing is answered from memory and nothing is stored; every reader gets a fresh render.
   */
  trusted?: boolean;
  /** Scopes written since the previous look (db/schema.ts pageChanges); null when unknown: everything. */
  changed: readonly string[] | null;
}

export interface CacheOptions {
  /**
   * Renders the URL afresh (GET, no conditional headers, no cookies). `urgent`: a reader waits for
   * it (RenderPool puts it before renders nobody waits for).
   */
  render: (url: string, urgent: boolean) => Promise<Rendered>;
  /** A reader now waits for a render of the URL already asked for without one (RenderPool.expedite). */
  expedite?: (url: string) => void;
  /** The current data version (cheap: read on every request), with what changed when it can tell. */
  version: () => number | Observed;
  /** How long time-dependent text may stand before a re-render, in ms. */
  tickMs: number;
  /** Upper bounds on the bytes kept (all variants) and on entries; least recently used go first. */
  maxBytes: number;
  maxEntries?: number;
  now?: () => number;
  /** How long after first seeing a new version the previous bytes may still be answered. */
  staleMs?: number;
  /**
   * Reads handled in one turn of the event loop share one look at the database (the server sets
   * this; see #lookedThisTurn).
   */
  lookOncePerTurn?: boolean;
}

/**
 * The default of CacheOptions.staleMs, counted from before the write (rule 2), so anything under 1 s
 * keeps the rule; 200 ms are left for the clocks of two processes read a millisecond apart. Under a
 * stream of writes every page renders again and again, and a reader waits only once the window
 * closes before a page's next render is done: at 500 ms counted from when the write was seen, the
 * bench's mix under 10 writes a second had hundreds of such readers every few seconds.
 */
export const STALE_MS = 800;
/** How often the server calls observe() (scripts/serve.ts) between requests. */
export const POLL_MS = 50;

/**
 * A page answered from memory this many times within CROWD_MS is read by a crowd (an outage's
 * readers, not one person reloading): after a write, its next reader is answered from the previous
 * bytes within the stale window while the page renders again, instead of waiting for the render.
 */
export const CROWD_READS = 4;
export const CROWD_MS = 1000;

/** Versions remembered with the time they were first seen (seconds of writes, at 10 a second). */
const SEEN_VERSIONS = 64;

export interface ReadOptions {
  /** The reader must see the current version (their own write): never answered stale. */
  fresh?: boolean;
}

export interface CacheStats {
  hits: number;
  /** Answered from the last good bytes because the database could not be read. */
  fallbacks: number;
  misses: number;
  refreshes: number;
  /** Answered from the previous version's bytes while the current one renders. */
  stale: number;
  entries: number;
  bytes: number;
}

/** Counted when stored: the body, and room for its variants (about a third of it at most for text). */
const sizeOf = (url: string, entry: Entry) => url.length + Math.ceil(entry.body.length * (entry.compressible ? 1.35 : 1)) + 512;

export class RenderedCache {
  readonly #options: CacheOptions;
  readonly #now: () => number;
  /** Insertion order doubles as recency: a hit re-inserts its key. */
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();
  /** Renders under way per URL, whatever version they were asked at. */
  readonly #rendering = new Map<string, number>();
  /** Per stored entry: when its URL last failed to render, and its marked stale form. */
  readonly #failures = new WeakMap<Entry, { at: number; stale?: Entry }>();
  #bytes = 0;
  readonly stats: CacheStats = { hits: 0, fallbacks: 0, misses: 0, refreshes: 0, stale: 0, entries: 0, bytes: 0 };
  /**
   * Data versions as this process first saw them, oldest first: `before`, a time no later than the
   * write (the start of the last look that did not see it yet), and `at`, when a look first saw it.
   */
  #seen: { version: number; before: number; at: number }[] = [];
  /** When the last look that read a version began. */
  #lastLookAt: number | undefined;
  /** Whether the last look found a version to trust (Observed.trusted). */
  #trusted = true;
  /** Between consecutive versions seen: the scopes written (null: anything), oldest first. */
  #steps: { from: number; to: number; changed: ReadonlySet<string> | null }[] = [];

  /**
   * The version the last look in this turn of the event loop found (lookOncePerTurn). The requests
   * a turn handles were received when it began polling sockets, before that look, so a write
   * acknowledged before any of them was sent is in it; writes through this server look again as
   * they finish (front-server.ts). On the hit path the look was about a tenth of the main thread's
   * CPU at 100 connections; a turn handles many requests.
   */
  #lookedThisTurn: number | undefined;
  #turnEndScheduled = false;

  constructor(options: CacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Reads the current data version and notes, for a new one, a time before its write. The server
   * calls this every POLL_MS as well as on every request, so a write is seen soon after it lands
   * even when nobody reads (rule 2 counts from the write, not from the next read).
   */
  observe(): number {
    const startedAt = this.#now();
    const seen = this.#options.version();
    const lookedBefore = this.#lastLookAt ?? startedAt;
    this.#lastLookAt = startedAt;
    const { version, changed } = typeof seen === 'number' ? { version: seen, changed: null } : seen;
    this.#trusted = typeof seen === 'number' || seen.trusted !== false;
    if (this.#options.lookOncePerTurn) this.#lookedInThisTurn(this.#trusted ? version : undefined);
    const previous = this.#seen.at(-1)?.version;
    if (version !== previous) {
      this.#seen.push({ version, before: lookedBefore, at: this.#now() });
      if (this.#seen.length > SEEN_VERSIONS) this.#seen.shift();
      if (previous !== undefined) {
        const step = { from: previous, to: version, changed: changed === null || changed.includes('*') ? null : new Set(changed) };
        this.#steps.push(step);
        if (this.#steps.length > SEEN_VERSIONS) this.#steps.shift();
        if (step.changed !== null) for (const entry of this.#entries.values()) this.#carryForward(entry);
      }
    }
    return version;
  }

  #lookedInThisTurn(version: number | undefined): void {
    this.#lookedThisTurn = version;
    if (this.#turnEndScheduled || version === undefined) return;
    this.#turnEndScheduled = true;
    setImmediate(() => {
      this.#lookedThisTurn = undefined;
      this.#turnEndScheduled = false;
    });
  }

  /**
   * Moves an entry's version past every later write that touched none of what it shows, so it is
   * answered as current instead of rendered again. Stops at the first write that touched it (or
   * could have): from there on it is out of date as before.
   */
  #carryForward(entry: Entry): void {
    const deps = entry.deps;
    if (deps === null) return;
    for (const step of this.#steps) {
      if (step.from !== entry.version) continue;
      const changed = step.changed;
      if (changed === null || deps.some((d) => changed.has(d))) return;
      entry.version = step.to;
    }
  }

  /**
   * Whether bytes of `version` may still be answered: the first newer version's write is less than
   * STALE_MS old (counted from before it). Unknown (older than the log) counts as long ago.
   */
  #mayServeStale(version: number, now: number): boolean {
    const next = this.#seen.findIndex((s) => s.version > version);
    return next > 0 && now - this.#seen[next]!.before < (this.#options.staleMs ?? STALE_MS);
  }

  /**
   * Whether the entry was answered CROWD_READS times in the last CROWD_MS: many people read it.
   */
  #crowded(entry: Entry, now: number): boolean {
    const answered = entry.answeredAt;
    return answered !== undefined && answered.length >= CROWD_READS && now - answered[0]! < CROWD_MS;
  }

  #answered(entry: Entry, now: number): void {
    const answered = (entry.answeredAt ??= []);
    answered.push(now);
    if (answered.length > CROWD_READS) answered.shift();
  }

  /**
   * Whether the entry's render was still under way when the first write it misses was seen: its
   * bytes were being made while the write landed, so a reader arriving a moment earlier would have
   * been answered from the previous bytes while it rendered. Under a stream of writes that is every
   * render; after a lone write (a reader alone) it is none, and that reader waits.
   */
  #finishedAfterMissedWrite(entry: Entry): boolean {
    const missed = this.#seen.find((s) => s.version > entry.version);
    return missed !== undefined && entry.storedAt !== undefined && entry.storedAt > missed.at;
  }

  /** The entry to answer this URL with: cached when still true, rendered (once) when not. */
  async get(url: string, read: ReadOptions = {}): Promise<Entry> {
    let version: number;
    try {
      version = this.#lookedThisTurn ?? this.observe();
    } catch (error) {
      const last = this.#entries.get(url);
      if (last) return this.#fallBackTo(last, this.#now());
      throw error;
    }
    // No version to trust: nothing is reused, nothing kept (one render per request, coalesced).
    if (!this.#trusted) {
      this.stats.misses++;
      return this.#render(url, version, true);
    }
    const entry = this.#entries.get(url);
    const now = this.#now();
    const age = entry ? now - entry.renderedAt : Infinity;
    // Beyond two ticks (a quiet page nobody read for a while) the old text could mislead: render.
    const recent = age < 2 * this.#options.tickMs;
    // An entry may be newer than the version this look saw: a render stamped when it began.
    if (entry && entry.version >= version && recent) {
      this.#touch(url, entry);
      this.#answered(entry, now);
      this.stats.hits++;
      if (age >= this.#options.tickMs) {
        // Same data, older clock: answer now, refresh behind (one render however many readers).
        this.stats.refreshes++;
        this.#render(url, version).catch(() => undefined);
      }
      return entry;
    }
    // Written since, and another reader already waits for a newer page (a render of this URL is under
    // way, started at this version or before it: under a stream of writes the next one is coalesced
    // with it, see RenderPool's stamp): the previous bytes, for a moment, to anyone but the writer,
    // rather than queueing behind the render. A reader who finds no render under way starts one and
    // waits, so one reading alone always sees the write, unless a crowd reads the page.
    if (entry && recent && !read.fresh && entry.version < version && this.#mayServeStale(entry.version, now)) {
      if (this.#rendering.has(url)) {
        this.stats.stale++;
        this.#answered(entry, now);
        return entry;
      }
      // Its bytes finished rendering after the write they miss was seen (writes keep coming), or
      // many people read the page (an outage's readers, and under a stream of writes the first of
      // them after each write would wait for a render behind the others the write queued): the
      // same moment's grace, with the next render started here rather than waited for.
      if (this.#finishedAfterMissedWrite(entry) || this.#crowded(entry, now)) {
        this.stats.stale++;
        this.#answered(entry, now);
        this.#render(url, version).catch(() => undefined);
        return entry;
      }
    }
    // It failed a moment ago: answer the last good bytes rather than asking the database again.
    const failure = entry ? this.#failures.get(entry) : undefined;
    if (entry && failure && now - failure.at < this.#options.tickMs) return this.#fallBackTo(entry, now);
    this.stats.misses++;
    return this.#render(url, version, true).then(
      (fresh) => (entry && fresh.status >= 500 ? this.#fallBackTo(entry, this.#now()) : fresh),
      (error: unknown) => {
        if (entry) return this.#fallBackTo(entry, this.#now());
        throw error;
      },
    );
  }

  /** The last good bytes of a URL the database cannot give right now, marked as possibly out of date. */
  #fallBackTo(entry: Entry, now: number): Entry {
    this.stats.fallbacks++;
    let failure = this.#failures.get(entry);
    if (!failure) this.#failures.set(entry, (failure = { at: now }));
    failure.stale ??= staleOf(entry);
    return failure.stale;
  }

  /** `urgent`: the caller waits for it (a reader); otherwise it renders behind for later readers. */
  #render(url: string, version: number, urgent = false): Promise<Entry> {
    const key = `${version} ${url}`;
    const pending = this.#inflight.get(key);
    if (pending) {
      if (urgent) this.#options.expedite?.(url);
      return pending;
    }
    const startedAt = this.#now();
    const work = this.#options
      .render(url, urgent)
      .then((rendered) => toEntry(rendered, Math.max(version, rendered.version ?? version), startedAt))
      .then(
        (entry) => {
          if (entry.shareable && this.#trusted) {
            this.#store(url, entry);
            // Most readers ask for brotli: when the renderer did not make it, start it now, on
            // zlib's threads. Whoever asks for it waits for this one compression (answer());
            // whoever asks for identity does not.
            if (entry.compressible) variantOf(entry, 'br').catch(() => null);
          }
          // A server error (the database cannot be read) replaces nothing: the last good bytes are
          // answered instead. Another error page replaces nothing newer than itself.
          else if (entry.status >= 500) this.#noteFailure(url);
          else if ((this.#entries.get(url)?.version ?? -1) <= version) this.#drop(url);
          return entry;
        },
        (error: unknown) => {
          this.#noteFailure(url);
          throw error;
        },
      )
      .finally(() => {
        this.#inflight.delete(key);
        const left = (this.#rendering.get(url) ?? 1) - 1;
        if (left > 0) this.#rendering.set(url, left);
        else this.#rendering.delete(url);
      });
    this.#inflight.set(key, work);
    this.#rendering.set(url, (this.#rendering.get(url) ?? 0) + 1);
    return work;
  }

  #noteFailure(url: string): void {
    const entry = this.#entries.get(url);
    if (entry) this.#failures.set(entry, { at: this.#now() });
  }

  #store(url: string, entry: Entry): void {
    // Rendered at a version since passed by writes that did not touch it: it is current.
    this.#carryForward(entry);
    const current = this.#entries.get(url);
    // A slower render of an older version must not replace a newer one.
    if (current && current.version > entry.version) return;
    entry.storedAt = this.#now();
    this.#drop(url);
    this.#entries.set(url, entry);
    this.#bytes += sizeOf(url, entry);
    const maxEntries = this.#options.maxEntries ?? 10_000;
    for (const [oldest, old] of this.#entries) {
      if ((this.#bytes <= this.#options.maxBytes && this.#entries.size <= maxEntries) || oldest === url) break;
      this.#entries.delete(oldest);
      this.#bytes -= sizeOf(oldest, old);
    }
    this.#sync();
  }

  #drop(url: string): void {
    const old = this.#entries.get(url);
    if (!old) return;
    this.#entries.delete(url);
    this.#bytes -= sizeOf(url, old);
    this.#sync();
  }

  #touch(url: string, entry: Entry): void {
    this.#entries.delete(url);
    this.#entries.set(url, entry);
  }

  #sync(): void {
    this.stats.entries = this.#entries.size;
    this.stats.bytes = this.#bytes;
  }
}
