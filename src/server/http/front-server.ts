// The small node:http server in front of Astro (the node adapter runs in middleware mode).
//
//   GET/HEAD of a static asset  → bytes loaded at start, compressed once
//   GET/HEAD of a public route  → RenderedCache (rendered bytes; renders run on worker threads,
//                                 see render-pool.ts and /work/notes/front-server.md)
//   everything else             → Astro on this thread, untouched (the workspace, the write API, form posts)
//
// Cached responses are rendered through the very same Astro handler, with a request stripped of
// anything reader-specific (cookies, credentials, conditional headers), so what is shared is what any
// anonymous reader would get. Astro's own middleware still sets ETag, Cache-Control and CORS.
//
// Who needs the current version at once (RenderedCache freshness rule 1): a reader with a staff
// session cookie or an Authorization header, and any reader from the address a write came from in
// the last second. Everyone else may get the previous bytes for a moment while the page renders again.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { answer, CACHE_RENDER_HEADER, toEntry, variantOf, type Answer, type Entry, type Rendered, type RenderedCache } from './rendered-cache.ts';
import { strongEtag } from './etag.ts';
import { READER_MESSAGE, READER_TITLE, unavailableHtml } from './unavailable-page.ts';

export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/**
 * The query parameters each public route reads (Astro.url.searchParams / url.searchParams).
 * Every other parameter (utm_source, a cache-buster) changes nothing on the page, so it must not
 * make a new cache entry and a new render. test/unit/cache-key.test.ts checks this list against
 * the pages.
 */
export const ROUTE_PARAMS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^\/history$/, ['page', 'component']],
  [/^\/uptime$/, ['month']],
  [/^\/api\/uptime\.json$/, ['month']],
];

/** Plain path spellings only: no encoded characters, empty or dot segments. */
const PLAIN_PATH = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;

/**
 * The cache key of a request URL: its path and, sorted, only the parameters the route reads (the
 * first value of each, as the page reads it). Null when the path is spelled unusually
 * (`//history`, `/%68istory`, `/x/../admin`): such requests go to Astro uncached, so they can
 * neither crowd the cache nor dodge the workspace's own handling.
 */
export function cacheKeyOf(url: string): string | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!PLAIN_PATH.test(path) || path.split('/').some((segment) => segment === '.' || segment === '..')) return null;
  const allowed = ROUTE_PARAMS.find(([pattern]) => pattern.test(path))?.[1] ?? [];
  if (q < 0 || allowed.length === 0) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = [...allowed].sort().flatMap((name) => (params.has(name) ? [[name, params.get(name)!]] : []));
  return kept.length > 0 ? `${path}?${new URLSearchParams(kept)}` : path;
}

/**
 * Paths never served from the shared cache: the workspace, the write API and subscription links
 * are per person, and /healthz and /metrics tell about this process, so they are answered on its
 * own thread.
 */
export function isSharedPath(pathname: string): boolean {
  if (pathname === '/healthz' || pathname === '/metrics') return false;
  return !(
    pathname === '/admin' ||
    pathname.startsWith('/admin/') ||
    pathname === '/api/admin' ||
    pathname.startsWith('/api/admin/') ||
    pathname.startsWith('/subscribe/')
  );
}

// --- rendering into bytes ----------------------------------------------------------------------

/** Just enough of ServerResponse for Astro's writeResponse and error paths. */
class CaptureResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableEnded = false;
  readonly req: unknown;
  readonly #headers: Record<string, string | string[]> = {};
  readonly #chunks: Buffer[] = [];
  readonly done: Promise<Rendered>;
  #resolve!: (r: Rendered) => void;
  #reject!: (e: unknown) => void;

  constructor(req: unknown) {
    super();
    this.req = req;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.#headers[name.toLowerCase()] = Array.isArray(value) ? [...value] : String(value);
    return this;
  }
  getHeader(name: string) {
    return this.#headers[name.toLowerCase()];
  }
  removeHeader(name: string): void {
    delete this.#headers[name.toLowerCase()];
  }
  writeHead(status: number, headers?: Record<string, string | number | string[] | undefined>): this {
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value !== undefined) this.setHeader(name, value);
    }
    this.headersSent = true;
    return this;
  }
  write(chunk: string | Uint8Array, callback?: () => void): boolean {
    this.headersSent = true;
    this.#chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    callback?.();
    return true;
  }
  end(chunk?: string | Uint8Array | (() => void)): this {
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    this.#resolve({ status: this.statusCode, headers: { ...this.#headers }, body: Buffer.concat(this.#chunks) });
    this.emit('finish');
    this.emit('close');
    return this;
  }
  destroy(error?: unknown): this {
    this.#reject(error ?? new Error('render aborted'));
    this.emit('close');
    return this;
  }
}

/** What a cached render is allowed to see of the request: no cookies, credentials or validators. */
const RENDER_HEADERS = { host: 'localhost', accept: '*/*', [CACHE_RENDER_HEADER]: '1' };

/** Renders a URL through the Astro handler as an anonymous GET and returns the bytes. */
export function renderThrough(handler: NodeHandler, url: string): Promise<Rendered> {
  const socket = Object.assign(new EventEmitter(), { remoteAddress: '127.0.0.1', encrypted: false, destroyed: false });
  const req = Object.assign(new EventEmitter(), {
    method: 'GET',
    url,
    headers: { ...RENDER_HEADERS },
    rawHeaders: Object.entries(RENDER_HEADERS).flat(),
    socket,
    connection: socket,
  });
  const res = new CaptureResponse(req);
  Promise.resolve(handler(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse)).catch((error) => res.destroy(error));
  return res.done;
}

// --- static assets ------------------------------------------------------------------------------

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.html': 'text/html; charset=utf-8',
};

function* walk(dir: string): Generator<string> {
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) yield* walk(full);
    else if (item.isFile()) yield full;
  }
}

/**
 * Every file of the client build, in memory with its compressed variants: a few kilobytes of CSS
 * and icons. Hashed files under /_astro/ never change; the others may change with an upgrade, so
 * they are revalidated after five minutes.
 */
export async function loadAssets(clientDir: string): Promise<Map<string, Entry>> {
  const assets = new Map<string, Entry>();
  if (!fs.existsSync(clientDir)) return assets;
  for (const file of walk(clientDir)) {
    const urlPath = '/' + path.relative(clientDir, file).split(path.sep).join('/');
    const body = fs.readFileSync(file);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const immutable = urlPath.startsWith('/_astro/');
    const rendered: Rendered = {
      status: 200,
      headers: {
        'content-type': type,
        etag: strongEtag(body),
        'last-modified': fs.statSync(file).mtime.toUTCString(),
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300, stale-while-revalidate=86400',
        'x-content-type-options': 'nosniff',
      },
      body,
    };
    const entry = toEntry(rendered, 0, 0);
    if (entry.compressible) await Promise.all([variantOf(entry, 'br'), variantOf(entry, 'gzip')]);
    assets.set(urlPath, entry);
  }
  return assets;
}

// --- the server ---------------------------------------------------------------------------------

export interface FrontServerOptions {
  handler: NodeHandler;
  assets: Map<string, Entry>;
  cache: RenderedCache;
  onError?: (error: unknown, url: string) => void;
}

function send(res: http.ServerResponse, reply: Answer): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body ?? undefined);
}

/** How long after a write through this server its client counts as the writer. */
export const WRITER_FRESH_MS = 1000;

const SESSION_COOKIE = /(^|;\s*)(__Host-)?candor_session=/;

/** Remembers where writes came from, for the next second. */
class RecentWriters {
  readonly #at = new Map<string, number>();
  note(address: string, now: number): void {
    if (this.#at.size > 1000) for (const [a, at] of this.#at) if (now - at >= WRITER_FRESH_MS) this.#at.delete(a);
    this.#at.set(address, now);
  }
  has(address: string, now: number): boolean {
    const at = this.#at.get(address);
    return at !== undefined && now - at < WRITER_FRESH_MS;
  }
}

export function createFrontServer(options: FrontServerOptions): http.Server {
  const { handler, assets, cache } = options;
  const onError = options.onError ?? ((error, url) => console.error(`Could not render ${url}:`, error));
  const writers = new RecentWriters();
  return http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const address = req.socket.remoteAddress ?? '';
    if (method !== 'GET' && method !== 'HEAD') {
      // Any other method may write: its client reads its own write next (rule 1), and the cache
      // notes the new version now rather than at the next read or poll.
      res.once('finish', () => {
        writers.note(address, Date.now());
        try {
          cache.observe();
        } catch {
          // The database cannot be read: the next read answers the last good bytes (RenderedCache.get).
        }
      });
      return void handler(req, res);
    }
    const asset = assets.get(url.split('?', 1)[0]!);
    const key = asset ? null : cacheKeyOf(url);
    if (!asset && (key === null || !isSharedPath(key.split('?', 1)[0]!))) return void handler(req, res);
    const fresh = SESSION_COOKIE.test(req.headers.cookie ?? '') || req.headers.authorization !== undefined || writers.has(address, Date.now());
    (asset ? Promise.resolve(asset) : cache.get(key!, { fresh })).then((entry) => answer(entry, method, req.headers)).then(
      (reply) => send(res, reply),
      (error: unknown) => {
        onError(error, url);
        if (!res.headersSent) {
          // Nothing good to fall back on (the cache answers the last good bytes when it has them).
          res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '30' });
          res.end(method === 'HEAD' ? undefined : unavailableHtml(READER_TITLE, READER_MESSAGE));
        } else {
          res.destroy();
        }
      },
    );
  });
}
