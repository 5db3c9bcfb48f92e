// URL → file mapping and links between exported files (scripts/export/paths.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absoluteHref, canonicalKey, fileForUrl, normaliseBasePath, querySegment, relativeHref, UnmappableUrl } from '../../scripts/export/paths.ts';

/** The URL path a static host serves a file at: a directory index at its directory. */
function servedPath(file: string, encode = false): string {
  const path = (f: string) => (encode ? f.split('/').map(encodeURIComponent).join('/') : f);
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${path(file.slice(0, -'/index.html'.length))}/`;
  return `/${path(file)}`;
}

/** What a browser requests for an href found in a file published under a prefix, as a decoded path. */
function follow(fromFile: string, href: string, prefix = '/some/prefix'): string {
  const page = new URL(`https://mirror.example${prefix}${servedPath(fromFile, true)}`);
  const resolved = new URL(href, page);
  expect(resolved.origin).toBe('https://mirror.example');
  expect(resolved.pathname.startsWith(`${prefix}/`)).toBe(true);
  return decodeURIComponent(resolved.pathname.slice(prefix.length));
}

describe('canonicalKey', () => {
  it('sorts query parameters by name and drops the fragment', () => {
    expect(canonicalKey(new URL('http://x/history?page=2&component=api#m'))).toBe('/history?component=api&page=2');
    expect(canonicalKey(new URL('http://x/uptime'))).toBe('/uptime');
    expect(canonicalKey(new URL('http://x/uptime?'))).toBe('/uptime');
  });
});

describe('fileForUrl', () => {
  it.each([
    ['/', true, 'index.html'],
    ['/history', true, 'history/index.html'],
    ['/incidents/abc123', true, 'incidents/abc123/index.html'],
    ['/components/send-api', true, 'components/send-api/index.html'],
    ['/history.rss', false, 'history.rss'],
    ['/components/send-api.rss', false, 'components/send-api.rss'],
    ['/components/send-api/badge.svg', false, 'components/send-api/badge.svg'],
    ['/api/v2/incidents/unresolved.json', false, 'api/v2/incidents/unresolved.json'],
    ['/history?page=2', true, 'history/page=2/index.html'],
    ['/history?component=api&page=2', true, 'history/component=api/page=2/index.html'],
    ['/uptime?month=2026-10', true, 'uptime/month=2026-10/index.html'],
    ['/?page=2', true, 'page=2/index.html'],
    ['/api/uptime.json?month=2026-10', false, 'api/uptime.month=2026-10.json'],
    ['/about.html', true, 'about.html'],
    ['/components/caf%C3%A9', true, 'components/café/index.html'],
    ['/history/', true, 'history/index.html'],
  ])('%s (html: %s) → %s', (key, isHtml, file) => {
    expect(fileForUrl(key, isHtml)).toBe(file);
  });

  it('maps an HTML page whose name looks like a file name to a directory index (a component slug with a dot)', () => {
    expect(fileForUrl('/components/v1.2', true)).toBe('components/v1.2/index.html');
  });

  it('refuses paths that cannot be files', () => {
    for (const key of ['/a/%2F/b', '/a/%00', '/a/%E0%A4%A', '/feed/']) {
      expect(() => fileForUrl(key, key !== '/feed/')).toThrow(UnmappableUrl);
    }
  });

  it('resolves dot segments as a browser does, never above the root', () => {
    expect(fileForUrl('/a/%2e%2e/b', true)).toBe('b/index.html');
    expect(fileForUrl('/../../etc/passwd', false)).toBe('etc/passwd');
  });

  it('escapes query values so that different queries never share a file', () => {
    expect(querySegment('month', '2026/10')).toBe('month=2026~2F10');
    expect(querySegment('q', 'a~2F')).toBe('q=a~7E2F');
    expect(querySegment('q', 'a b.c')).toBe('q=a~20b~2Ec');
    const params = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 })), { maxLength: 3 });
    fc.assert(
      fc.property(params, params, (a, b) => {
        const key = (p: [string, string][]) => canonicalKey(new URL(`http://x/history?${new URLSearchParams(p)}`));
        fc.pre(key(a) !== key(b));
        expect(fileForUrl(key(a), true)).not.toBe(fileForUrl(key(b), true));
      }),
    );
  });
});

describe('relativeHref', () => {
  it.each([
    ['index.html', 'history/index.html', 'history/'],
    ['index.html', 'index.html', './'],
    ['index.html', 'history.rss', 'history.rss'],
    ['history/index.html', 'index.html', '../'],
    ['history/index.html', 'history/page=2/index.html', 'page=2/'],
    ['history/page=2/index.html', 'history/index.html', '../'],
    ['incidents/abc/index.html', 'incidents/abc/index.html', './'],
    ['incidents/abc/index.html', 'candor.css', '../../candor.css'],
    ['components/api/index.html', 'components/api.rss', '../api.rss'],
    ['components/api/index.html', 'components/api/badge.svg', 'badge.svg'],
    ['a/b.json/index.html', 'a/b.json', '../b.json'],
    ['index.html', 'components/café/index.html', 'components/caf%C3%A9/'],
    ['index.html', 'x:y/index.html', './x:y/'],
  ])('%s → %s is %s', (from, to, href) => {
    expect(relativeHref(from, to)).toBe(href);
    expect(follow(from, href)).toBe(servedPath(to));
  });

  it('keeps the fragment', () => {
    expect(relativeHref('index.html', 'incidents/abc/index.html', '#update-3')).toBe('incidents/abc/#update-3');
  });

  it('always leads to the target file, under any prefix', () => {
    const segment = fc.oneof(fc.constantFrom('a', 'b', 'history', 'page=2', 'x.json', 'café', 'a b', '50%', 'q?x', 'h#1'), fc.string({ minLength: 1, maxLength: 4 }));
    const file = fc.tuple(fc.array(segment, { maxLength: 3 }), fc.constantFrom('index.html', 'feed.rss', 'badge.svg')).map(([dirs, name]) => [...dirs, name].join('/'));
    fc.assert(
      fc.property(file, file, (from, to) => {
        fc.pre(![from, to].some((f) => f.split('/').some((s) => s === '.' || s === '..' || s.includes('/') || s === '')));
        expect(follow(from, relativeHref(from, to))).toBe(servedPath(to));
        expect(follow(from, relativeHref(from, to), '')).toBe(servedPath(to));
      }),
    );
  });
});

describe('absoluteHref', () => {
  it('links under the base path', () => {
    expect(absoluteHref('/', 'history/index.html')).toBe('/history/');
    expect(absoluteHref('/', 'index.html')).toBe('/');
    expect(absoluteHref('status', 'candor.css')).toBe('/status/candor.css');
    expect(absoluteHref('/org/status/', 'index.html', '#main')).toBe('/org/status/#main');
  });

  it('normalises the base path', () => {
    expect(normaliseBasePath('')).toBe('/');
    expect(normaliseBasePath('//status//')).toBe('/status/');
    expect(normaliseBasePath('my site')).toBe('/my%20site/');
  });
});
