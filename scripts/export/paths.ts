// Where each URL of the site lives in the static tree, and how one exported file links to another.
// Pure functions: no I/O, no clock.
//
// Rules (see README "Static mirror"):
// - An HTML response at an extensionless path is a directory index: `/` → `index.html`,
//   `/incidents/abc` → `incidents/abc/index.html`. Anything else keeps its path (`/history.rss`,
//   `/components/api/badge.svg`, `/api/v2/summary.json`).
// - A query string cannot be served by a static host, so each query parameter becomes a path
//   segment `name=value`, parameters sorted by name: `/history?page=2&component=api` →
//   `history/component=api/page=2/index.html`. For a non-HTML file the parameters go before the
//   extension: `/api/uptime.json?month=2026-10` → `api/uptime.month=2026-10.json`.
// - Links between exported files are relative (`../../history/`), so the tree works at any path
//   prefix (a GitHub Pages project site, a bucket folder). Pages that a host serves at many paths
//   (404.html) use root-absolute links under a base path instead.

/** Unreserved and sub-delimiter characters left as they are in a path segment of an href. */
const SEGMENT_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

export class UnmappableUrl extends Error {}

/** The canonical form of a same-origin URL for crawling: path plus query parameters sorted by name. */
export function canonicalKey(url: URL): string {
  const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (params.length === 0) return url.pathname;
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

/**
 * A query parameter as one path segment. Injective: `~` marks an escaped byte (`~2F` for `/`),
 * so the names of two different parameters never collide and the segment is safe on every file
 * system and in every URL.
 */
export function querySegment(name: string, value: string): string {
  const escape = (s: string) =>
    encodeURIComponent(s)
      .replace(/[!'()*~.]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%/g, '~');
  return `${escape(name)}=${escape(value)}`;
}

function pathSegments(pathname: string): string[] {
  if (!pathname.startsWith('/')) throw new UnmappableUrl(`not an absolute path: ${pathname}`);
  const raw = pathname.slice(1).split('/');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop(); // trailing slash
  return raw.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new UnmappableUrl(`malformed escape in ${pathname}`);
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) {
      throw new UnmappableUrl(`cannot store ${pathname} as a file (segment "${segment}")`);
    }
    return decoded;
  });
}

/**
 * The file (a POSIX path relative to the tree's root) that holds the response for a URL.
 * `key` is a canonical key (path and optional sorted query); `isHtml` says whether the server
 * answered with HTML.
 */
export function fileForUrl(key: string, isHtml: boolean): string {
  const url = new URL(key, 'http://export.invalid');
  const segments = pathSegments(url.pathname);
  const query = [...url.searchParams].map(([name, value]) => querySegment(name, value));
  const last = segments[segments.length - 1];
  const trailingSlash = url.pathname.endsWith('/');
  if (isHtml) {
    if (last !== undefined && !trailingSlash && /\.html?$/i.test(last) && query.length === 0) return segments.join('/');
    return [...segments, ...query, 'index.html'].join('/');
  }
  if (last === undefined || trailingSlash) throw new UnmappableUrl(`a non-HTML response at a directory path: ${key}`);
  if (query.length === 0) return segments.join('/');
  const dot = last.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [last.slice(0, dot), last.slice(dot)] : [last, ''];
  return [...segments.slice(0, -1), `${stem}.${query.join('.')}${extension}`].join('/');
}

function encodeSegment(segment: string): string {
  let out = '';
  for (const char of segment) out += SEGMENT_SAFE.test(char) ? char : encodeURIComponent(char);
  return out;
}

function encodePath(relative: string): string {
  return relative.split('/').map((s) => (s === '.' || s === '..' ? s : encodeSegment(s))).join('/');
}

/** A directory index is linked as its directory (`history/`), which every static host serves. */
function linkTarget(file: string): { path: string; isDirectory: boolean } {
  if (file === 'index.html') return { path: '', isDirectory: true };
  if (file.endsWith('/index.html')) return { path: file.slice(0, -'/index.html'.length), isDirectory: true };
  return { path: file, isDirectory: false };
}

function dirname(file: string): string[] {
  const parts = file.split('/');
  parts.pop();
  return parts;
}

/** The relative href from one exported file to another, with an optional `#fragment`. */
export function relativeHref(fromFile: string, toFile: string, fragment = ''): string {
  const from = dirname(fromFile);
  const target = linkTarget(toFile);
  const to = target.path === '' ? [] : target.path.split('/');
  let common = 0;
  while (common < from.length && common < to.length - (target.isDirectory ? 0 : 1) && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common);
  let href = [...Array<string>(up).fill('..'), ...rest.map(encodeSegment)].join('/');
  if (target.isDirectory) href = href === '' ? './' : `${href}/`;
  // A first segment with a colon would read as a URL scheme.
  if (href === '' || /^[^/]*:/.test(href)) href = `./${href}`;
  return href + fragment;
}

/** Normalises a base path to `/` or `/prefix/`. */
export function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '/';
  return `/${encodePath(trimmed.split('/').map((s) => decodeURIComponent(s)).join('/'))}/`;
}

/** A root-absolute href to an exported file under a base path (`/`, `/status/`). */
export function absoluteHref(basePath: string, toFile: string, fragment = ''): string {
  const target = linkTarget(toFile);
  const encoded = target.path === '' ? '' : target.path.split('/').map(encodeSegment).join('/');
  return `${normaliseBasePath(basePath)}${encoded}${target.isDirectory && encoded !== '' ? '/' : ''}${fragment}`;
}
