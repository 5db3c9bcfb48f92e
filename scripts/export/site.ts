// Exports a running Candor as a static tree: crawls every public URL from a fixed set of seeds,
// stores each response at its static path (scripts/export/paths.ts), rewrites the links of every
// page (scripts/export/html.ts), then swaps the finished tree into place.
//
// The export is written next to the output directory and renamed into place only when complete,
// so a host serving the output never sees half a tree. A server error or an unreachable server
// aborts the export and leaves the previous tree as it was.
import fs from 'node:fs';
import path from 'node:path';
import { formatInstant, isValidTimeZone } from '../../src/domain/time-zone.ts';
import { SITE_WIDE_PATHS } from '../../src/server/public-paths.ts';
import { escapeMarkup } from '../../src/server/xml-text.ts';
import { analysePage, cssUrls, pageUrls, rewritePage } from './html.ts';
import { absoluteHref, canonicalKey, fileForUrl, normaliseBasePath, relativeHref, UnmappableUrl } from './paths.ts';

/** Never crawled: the workspace, the write API and the health check are not part of the public site. */
const EXCLUDED = /^\/(admin|api\/admin)(\/|$)|^\/healthz$/;

/** The manifest written at the root of the tree; its presence also marks a directory as an export. */
export const MANIFEST = '.candor-export.json';

/** A path no Candor route answers, for the not-found page. */
const NOT_FOUND_PROBE = '/.candor-export-not-found';

/**
 * Files that belong with a page but that the page does not link: a component's badge, an
 * incident's JSON. Fetched when they exist; their absence is not an error.
 */
export function companionUrls(pathname: string): string[] {
  const component = /^\/components\/([^/.]+)$/.exec(pathname);
  if (component) return [`${pathname}.rss`, `${pathname}/badge.svg`];
  const incident = /^\/incidents\/([^/.]+)$/.exec(pathname);
  if (incident) return [`/api/incidents/${incident[1]}.json`];
  return [];
}

export interface ExportOptions {
  /** Origin of the running Candor, e.g. http://127.0.0.1:4321. */
  origin: string;
  /** The directory to (re)place. */
  outDir: string;
  /** Parallel requests (default 4). */
  concurrency?: number;
  /** Path prefix the tree is published under, for the not-found page's links (default "/"). */
  basePath?: string;
  /** Add the "Static copy … as of …" notice to pages (default true). */
  notice?: boolean;
  /** Export time (default now). */
  now?: Date;
  log?: (line: string) => void;
}

export interface ExportEntry {
  file: string;
  contentType: string;
  bytes: number;
}

export interface ExportResult {
  outDir: string;
  /** Canonical URL key → what was written for it. */
  entries: Map<string, ExportEntry>;
  /** Same-origin redirects followed: URL key → target key. */
  redirects: Map<string, string>;
  pages: number;
  files: number;
  bytes: number;
  ms: number;
  warnings: string[];
}

export class ExportError extends Error {}

interface Pending {
  key: string;
  from: string | null;
  optional: boolean;
}

/** Refuses to replace anything but an empty directory or an earlier export. */
export function checkOutDir(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  const stat = fs.lstatSync(outDir);
  if (!stat.isDirectory()) throw new ExportError(`${outDir} exists and is not a directory`);
  const names = fs.readdirSync(outDir);
  if (names.length > 0 && !names.includes(MANIFEST)) {
    throw new ExportError(`${outDir} is not empty and holds no earlier export (${MANIFEST}); refusing to replace it`);
  }
}

export function noticeHtml(siteName: string, now: Date, timeZone: string): string {
  return (
    `<p class="static-copy" role="note">Static copy of the ${escapeMarkup(siteName)} status page as of ` +
    `<time datetime="${now.toISOString()}">${escapeMarkup(formatInstant(now.getTime(), isValidTimeZone(timeZone) ? timeZone : 'UTC', 'datetime'))}</time>. It does not update by itself.</p>`
  );
}

async function fetchWithRetry(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    await new Promise((r) => setTimeout(r, 250));
    try {
      return await fetch(url, init);
    } catch (error) {
      throw new ExportError(`cannot reach ${url}: ${(error as Error).cause ?? (error as Error).message}`);
    }
  }
}

export async function exportSite(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const origin = new URL(options.origin).origin;
  const outDir = path.resolve(options.outDir);
  const basePath = normaliseBasePath(options.basePath ?? '/');
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  checkOutDir(outDir);

  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(outDir), `.${path.basename(outDir)}.export-`));
  const entries = new Map<string, ExportEntry>();
  const redirects = new Map<string, string>();
  const fileOwners = new Map<string, string>();
  const htmlKeys: string[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const queue: Pending[] = [];
  const broken = new Map<string, string>();
  const request: RequestInit = { redirect: 'manual', headers: { 'accept-encoding': 'identity', 'user-agent': 'candor-export' } };

  const warn = (line: string) => {
    warnings.push(line);
    log(`warning: ${line}`);
  };

  /** The canonical key of a same-origin, crawlable URL, or null. */
  const keyOf = (raw: string, base: string): string | null => {
    if (raw === '' || raw.startsWith('#')) return null;
    let url: URL;
    try {
      url = new URL(raw, origin + base);
    } catch {
      return null;
    }
    if (url.origin !== origin) return null;
    if (EXCLUDED.test(url.pathname)) return null;
    return canonicalKey(url);
  };

  const enqueue = (key: string | null, from: string | null, optional = false) => {
    if (key === null || seen.has(key)) return;
    seen.add(key);
    queue.push({ key, from, optional });
  };

  const writeFile = (file: string, body: Uint8Array) => {
    const target = path.join(tmp, ...file.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, body);
  };

  let siteName = 'Candor';
  let timeZone = 'UTC';

  const visit = async ({ key, from, optional }: Pending) => {
    const res = await fetchWithRetry(origin + key, request);
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      const target = location ? keyOf(location, key) : null;
      if (target === null) {
        warn(`${key} redirects outside the site (${location ?? 'no location'}); links to it stay broken`);
        broken.set(key, from ?? 'a seed');
        return;
      }
      redirects.set(key, target);
      enqueue(target, key);
      return;
    }
    if (res.status >= 500) throw new ExportError(`${key} answered ${res.status}; the export is abandoned and the previous tree kept`);
    if (res.status !== 200) {
      await res.body?.cancel();
      if (!optional) {
        broken.set(key, from ?? 'a seed');
        warn(`${key} answered ${res.status} (linked from ${from ?? 'the seed list'})`);
      }
      return;
    }
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const isHtml = /^text\/html\b/i.test(contentType);
    const body = new Uint8Array(await res.arrayBuffer());
    let file: string;
    try {
      file = fileForUrl(key, isHtml);
    } catch (error) {
      if (!(error instanceof UnmappableUrl)) throw error;
      warn(`${key}: ${error.message}`);
      broken.set(key, from ?? 'a seed');
      return;
    }
    const owner = fileOwners.get(file.toLowerCase());
    if (owner !== undefined) {
      warn(`${key} and ${owner} both map to ${file}; keeping ${owner}`);
      redirects.set(key, owner);
      return;
    }
    fileOwners.set(file.toLowerCase(), key);
    writeFile(file, body);
    entries.set(key, { file, contentType, bytes: body.byteLength });
    const pathname = key.split('?')[0]!;
    if (isHtml) {
      htmlKeys.push(key);
      const analysis = analysePage(Buffer.from(body).toString('utf8'));
      for (const url of pageUrls(analysis)) enqueue(keyOf(url, key), key);
      if (!key.includes('?')) for (const companion of companionUrls(pathname)) enqueue(keyOf(companion, key), key, true);
    } else if (/^text\/css\b/i.test(contentType)) {
      for (const url of cssUrls(Buffer.from(body).toString('utf8'))) enqueue(keyOf(url, key), key);
    } else if (key === '/api/v2/summary.json') {
      try {
        const summary = JSON.parse(Buffer.from(body).toString('utf8')) as { page?: { name?: unknown; time_zone?: unknown } };
        if (typeof summary.page?.name === 'string') siteName = summary.page.name;
        if (typeof summary.page?.time_zone === 'string') timeZone = summary.page.time_zone;
      } catch {
        // The notice then names Candor in UTC; the JSON file itself is exported as served.
      }
    }
  };

  try {
    // Every export starts from the site-wide URLs; the rest is found by following links.
    for (const seed of SITE_WIDE_PATHS) enqueue(seed, null);
    let failure: unknown = null;
    let active = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        if (failure !== null) {
          if (active === 0) resolve();
          return;
        }
        while (active < concurrency && queue.length > 0) {
          const next = queue.shift()!;
          active++;
          visit(next)
            .catch((error: unknown) => {
              failure ??= error;
            })
            .finally(() => {
              active--;
              pump();
            });
        }
        if (active === 0 && queue.length === 0) resolve();
      };
      pump();
    });
    if (failure !== null) throw failure;

    // The not-found page, for hosts that serve /404.html for any missing path (GitHub Pages,
    // Netlify, nginx with error_page, S3/R2 website hosting). Served at every depth, so its links
    // are root-absolute under the base path.
    const notFound = await fetchWithRetry(origin + NOT_FOUND_PROBE, request);
    const notFoundType = notFound.headers.get('content-type') ?? '';
    const notFoundHtml = await notFound.text();
    if (notFound.status !== 404 || !/^text\/html\b/i.test(notFoundType)) {
      throw new ExportError(`the not-found page answered ${notFound.status} ${notFoundType}, expected a 404 HTML page`);
    }

    const notice = options.notice === false ? null : noticeHtml(siteName, now, timeZone);
    const resolveKey = (key: string): ExportEntry | undefined => {
      let current = key;
      for (let hops = 0; hops < 10 && redirects.has(current); hops++) current = redirects.get(current)!;
      return entries.get(current);
    };
    const linker = (pageKey: string | null, fromFile: string) => (raw: string): string | null => {
      const trimmed = raw.trim();
      const key = keyOf(trimmed, pageKey ?? '/');
      if (key === null) return null;
      const hashAt = trimmed.indexOf('#');
      const fragment = hashAt === -1 ? '' : trimmed.slice(hashAt);
      const entry = resolveKey(key);
      if (pageKey === null) return absoluteHref(basePath, entry?.file ?? '404.html', entry ? fragment : '');
      if (!entry) {
        if (!broken.has(key)) warn(`${key} (linked from ${pageKey}) was not exported`);
        return absoluteHref(basePath, '404.html');
      }
      return relativeHref(fromFile, entry.file, fragment);
    };

    for (const key of htmlKeys) {
      const entry = entries.get(key)!;
      const target = path.join(tmp, ...entry.file.split('/'));
      const html = fs.readFileSync(target, 'utf8');
      const rewritten = rewritePage(html, analysePage(html), { link: linker(key, entry.file), noticeHtml: notice });
      fs.writeFileSync(target, rewritten);
      entry.bytes = Buffer.byteLength(rewritten);
    }
    const notFoundPage = rewritePage(notFoundHtml, analysePage(notFoundHtml), { link: linker(null, '404.html'), noticeHtml: notice });
    if (fileOwners.has('404.html')) throw new ExportError(`${fileOwners.get('404.html')} would overwrite 404.html`);
    writeFile('404.html', Buffer.from(notFoundPage));
    // GitHub Pages: publish the tree as it is (no Jekyll processing).
    writeFile('.nojekyll', new Uint8Array());

    let bytes = Buffer.byteLength(notFoundPage);
    for (const entry of entries.values()) bytes += entry.bytes;
    const manifest = {
      generator: 'candor export',
      source: origin,
      exportedAt: now.toISOString(),
      basePath,
      files: entries.size + 1,
      urls: Object.fromEntries([...entries].map(([key, entry]) => [key, entry.file]).sort(([a], [b]) => (a! < b! ? -1 : 1))),
      redirects: Object.fromEntries(redirects),
      notFound: '404.html',
    };
    writeFile(MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));

    swapInto(tmp, outDir);
    return {
      outDir,
      entries,
      redirects,
      pages: htmlKeys.length + 1,
      files: entries.size + 1,
      bytes,
      ms: performance.now() - started,
      warnings,
    };
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Puts the finished tree at outDir: two renames within one directory, so readers see the old tree
 * or the new one, each complete (for the instant between the renames, the path is missing).
 */
export function swapInto(tmp: string, outDir: string): void {
  checkOutDir(outDir);
  if (!fs.existsSync(outDir)) {
    fs.renameSync(tmp, outDir);
    return;
  }
  const old = `${tmp}.old`;
  fs.renameSync(outDir, old);
  try {
    fs.renameSync(tmp, outDir);
  } catch (error) {
    fs.renameSync(old, outDir);
    throw error;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
