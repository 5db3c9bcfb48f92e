// The static mirror (`npm run export`): the demo exported into a temporary directory is checked
// against what the server serves for every URL, every link in the tree must lead to a file in the
// tree, feeds must parse, and the tree must work from a plain static file server.
import { parseFeed } from '@rowanmanning/feed-parser';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalKey } from '../../scripts/export/paths.ts';
import { startCandor } from '../../scripts/export/server.ts';
import { ExportError, exportSite, MANIFEST, type ExportResult } from '../../scripts/export/site.ts';
import { insertIncident } from '../support/db-rows.ts';
import { OUT_DIR, startServer, type RunningServer } from '../support/server.ts';

interface Manifest {
  source: string;
  exportedAt: string;
  urls: Record<string, string>;
  redirects: Record<string, string>;
}

const EXPORTED_AT = new Date('2026-11-05T09:30:00Z');
// Pin rendered pages in the server's cache for the whole file, so that the bytes the export fetched
// and the bytes the test fetches again cannot differ by a clock tick ("1 h 37 min so far").
const PINNED = { CANDOR_CACHE_TICK_MS: String(3_600_000) };

let server: RunningServer;
let work: string;
let tree: string;
let result: ExportResult;
let manifest: Manifest;

/** Every file under a directory, as POSIX paths relative to it. */
function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const read = (file: string) => fs.readFileSync(path.join(tree, ...file.split('/')));

/** The URL path a static host serves a file at. */
function servedPath(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
  return `/${file}`;
}

/** The file a static host answers a decoded URL path with (a directory path serves its index.html). */
function fileAt(urlPath: string): string {
  const relative = decodeURIComponent(urlPath).replace(/^\//, '');
  return relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
}

const LINK = /\s(?:href|src)="([^"]*)"/g;
const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

function links(html: string): string[] {
  return [...html.matchAll(LINK)].map((m) => decode(m[1]!));
}

function withoutLinks(html: string): string {
  return html.replace(LINK, ' LINK');
}

const NOTICE = /<p class="static-copy" role="note">Static copy of the [^<]* status page as of <time datetime="[^"]+">[^<]+<\/time>\. It does not update by itself\.<\/p>/;
const SERVED_FORM = /<form [^>]*method="get"[^>]*>[\s\S]*?<\/form>/g;
const EXPORTED_FILTER = /<details class="static-filter">[\s\S]*?<\/details>/g;

/** The file that holds a URL's content according to the manifest, redirects followed. */
function manifestFile(key: string): string | undefined {
  let current = key;
  for (let i = 0; i < 5 && manifest.redirects[current]; i++) current = manifest.redirects[current]!;
  return manifest.urls[current];
}

beforeAll(async () => {
  server = await startServer(PINNED);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-export-'));
  tree = path.join(work, 'site');
  const started = performance.now();
  result = await exportSite({ origin: server.url, outDir: tree, now: EXPORTED_AT });
  console.log(`exported the demo: ${result.files} files, ${result.pages} pages, ${(result.bytes / 1024).toFixed(0)} KB in ${Math.round(performance.now() - started)} ms`);
  manifest = JSON.parse(read(MANIFEST).toString('utf8')) as Manifest;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run export: what is in the tree', () => {
  it('exports without warnings, and the manifest lists every file', () => {
    expect(result.warnings).toEqual([]);
    const listed = new Set([...Object.values(manifest.urls), '404.html', MANIFEST, '.nojekyll']);
    expect(listFiles(tree)).toEqual([...listed].sort());
    // Nothing left beside it: no temporary tree.
    expect(fs.readdirSync(work)).toEqual(['site']);
  });

  it('holds the pages, feeds, API files, badges and assets of the public site', () => {
    const files = new Set(listFiles(tree));
    for (const file of [
      'index.html',
      'history/index.html',
      'uptime/index.html',
      '404.html',
      'history.rss',
      'history.atom',
      'history.json',
      'maintenance.ics',
      'badge.svg',
      'api/uptime.json',
      'api/status.json',
      'api/v2/summary.json',
      'api/v2/status.json',
      'api/v2/components.json',
      'api/v2/incidents.json',
      'api/v2/incidents/unresolved.json',
      'api/v2/scheduled-maintenances.json',
      'api/v2/scheduled-maintenances/upcoming.json',
      'api/v2/scheduled-maintenances/active.json',
      'candor.css',
      'favicon.svg',
    ]) {
      expect(files, file).toContain(file);
    }
    expect([...files].some((f) => f.startsWith('admin') || f.includes('healthz'))).toBe(false);
  });

  it('holds a page and the JSON of every incident, and every page of every component', async () => {
    const incidents = (await (await fetch(`${server.url}/api/v2/incidents.json`)).json()) as { incidents: { id: string }[] };
    expect(incidents.incidents.length).toBeGreaterThan(3);
    for (const { id } of incidents.incidents) {
      expect(manifest.urls[`/incidents/${id}`]).toBe(`incidents/${id}/index.html`);
      expect(manifest.urls[`/api/incidents/${id}.json`]).toBe(`api/incidents/${id}.json`);
    }
    const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { group: boolean }[] };
    const summary = await (await fetch(`${server.url}/`)).text();
    const slugs = [...summary.matchAll(/href="\/components\/([a-z0-9-]+)"/g)].map((m) => m[1]!);
    expect(slugs.length).toBe(components.components.filter((c) => !c.group).length);
    for (const slug of slugs) {
      expect(manifest.urls[`/components/${slug}`]).toBe(`components/${slug}/index.html`);
      expect(manifest.urls[`/components/${slug}.rss`]).toBe(`components/${slug}.rss`);
      expect(manifest.urls[`/components/${slug}/badge.svg`]).toBe(`components/${slug}/badge.svg`);
      expect(manifest.urls[`/history?component=${slug}`]).toBe(`history/component=${slug}/index.html`);
    }
  });

  it('follows history pagination and every month of the uptime page', async () => {
    expect(manifest.urls['/history?page=2']).toBe('history/page=2/index.html');
    const uptime = await (await fetch(`${server.url}/uptime`)).text();
    const months = [...uptime.matchAll(/<option value="(\d{4}-\d{2})"/g)].map((m) => m[1]!);
    expect(months.length).toBeGreaterThan(12);
    for (const month of months) expect(manifest.urls[`/uptime?month=${month}`]).toBe(`uptime/month=${month}/index.html`);
  });
});

describe('npm run export: every file is what the server serves', () => {
  it('non-HTML files are byte for byte the server’s response', async () => {
    let checked = 0;
    for (const [key, file] of Object.entries(manifest.urls)) {
      if (file.endsWith('.html')) continue;
      const res = await fetch(server.url + key, { headers: { 'accept-encoding': 'identity' } });
      expect(res.status, key).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(read(file)), `${key} → ${file}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('pages are the server’s pages apart from their links, filter forms and the static-copy notice, and each link leads to the file holding its target', async () => {
    let pages = 0;
    for (const [key, file] of Object.entries(manifest.urls)) {
      if (!file.endsWith('.html')) continue;
      const served = await (await fetch(server.url + key)).text();
      const exported = read(file).toString('utf8');
      expect(exported.match(new RegExp(NOTICE.source, 'g'))?.length, `${file} has one notice`).toBe(1);
      expect(exported).toContain('as of <time datetime="2026-11-05T09:30:00.000Z">5 Nov 2026, 10:30 CET</time>');
      const servedForms = served.match(SERVED_FORM) ?? [];
      const exportedFilters = exported.match(EXPORTED_FILTER) ?? [];
      expect(exportedFilters.length, `${file}: one link list per filter form`).toBe(servedForms.length);
      const servedRest = served.replace(SERVED_FORM, 'FILTER');
      const exportedRest = exported.replace(NOTICE, '').replace(EXPORTED_FILTER, 'FILTER');
      expect(withoutLinks(exportedRest), file).toBe(withoutLinks(servedRest));

      const pageUrl = new URL(`http://mirror.test${servedPath(file)}`);
      const pairs = links(servedRest).map((original, i) => [original, links(exportedRest)[i]!] as const);
      for (const [original, rewritten] of pairs) {
        if (original.startsWith('#')) {
          expect(rewritten).toBe(original);
          continue;
        }
        const target = new URL(original, server.url + key);
        expect(target.origin, `${key} links outside the site: ${original}`).toBe(server.url);
        expect(fileAt(new URL(rewritten, pageUrl).pathname), `${file}: ${original} → ${rewritten}`).toBe(manifestFile(canonicalKey(target)));
        expect(new URL(rewritten, pageUrl).hash).toBe(target.hash);
      }

      // Each filter option leads to the page the form would have asked for.
      servedForms.forEach((form, i) => {
        const action = /action="([^"]*)"/.exec(form)![1]!;
        const name = /<select name="([^"]+)"/.exec(form)![1]!;
        const values = [...form.matchAll(/<option value="([^"]*)"/g)].map((m) => decode(m[1]!));
        const hrefs = links(exportedFilters[i]!);
        expect(hrefs.length).toBe(values.length);
        values.forEach((value, j) => {
          const wanted = new URL(action, server.url + key);
          if (value !== '') wanted.searchParams.set(name, value);
          expect(fileAt(new URL(hrefs[j]!, pageUrl).pathname), `${file}: ${name}=${value}`).toBe(manifestFile(canonicalKey(wanted)));
        });
      });
      pages++;
    }
    expect(pages).toBeGreaterThan(20);
  });

  it('404.html is the server’s not-found page with root-absolute links into the tree', async () => {
    const res = await fetch(`${server.url}/no/such/page`);
    expect(res.status).toBe(404);
    const served = await res.text();
    const exported = read('404.html').toString('utf8').replace(NOTICE, '');
    expect(withoutLinks(exported)).toBe(withoutLinks(served));
    for (const href of links(exported)) {
      if (href.startsWith('#')) continue;
      expect(href.startsWith('/')).toBe(true);
      expect(fs.existsSync(path.join(tree, fileAt(new URL(href, 'http://mirror.test/').pathname)))).toBe(true);
    }
  });
});

describe('npm run export: links stay inside the tree', () => {
  it('every href and src in every exported page resolves to a file in the tree, under any path prefix', () => {
    let checked = 0;
    for (const file of listFiles(tree).filter((f) => f.endsWith('.html') && f !== '404.html')) {
      for (const href of links(read(file).toString('utf8'))) {
        expect(href, `${file}: absolute URL`).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/\//i);
        expect(href, `${file}: root-absolute link`).not.toMatch(/^\//);
        if (href.startsWith('#')) continue;
        const prefix = '/org/status';
        const resolved = new URL(href, `https://mirror.test${prefix}${servedPath(file)}`);
        expect(resolved.pathname.startsWith(`${prefix}/`), `${file}: ${href} climbs out of the tree`).toBe(true);
        const target = fileAt(resolved.pathname.slice(prefix.length));
        expect(fs.existsSync(path.join(tree, ...target.split('/'))), `${file}: ${href} → ${target}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

describe('npm run export: feeds and calendar', () => {
  it('the exported feeds parse and list the incidents', () => {
    const feeds = listFiles(tree).filter((f) => /\.(rss|atom)$/.test(f));
    expect(feeds.length).toBeGreaterThan(3);
    for (const file of feeds) {
      const feed = parseFeed(read(file).toString('utf8'));
      expect(feed.title, file).toBeTruthy();
      if (file.startsWith('history.')) expect(feed.items.length).toBeGreaterThan(3);
    }
  });

  it('the exported calendar parses', () => {
    const calendar = new ICAL.Component(ICAL.parse(read('maintenance.ics').toString('utf8')));
    expect(calendar.getAllSubcomponents('vevent').length).toBeGreaterThan(0);
  });
});

/** A static host like nginx: a directory path without its slash is redirected, a missing file gets /404.html. */
async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
    '.rss': 'application/rss+xml',
    '.atom': 'application/atom+xml',
    '.ics': 'text/calendar',
  };
  const httpServer = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    const file = path.join(root, ...urlPath.split('/').filter((s) => s !== '' && s !== '..'));
    const send = (status: number, target: string) => {
      res.writeHead(status, { 'content-type': types[path.extname(target)] ?? 'application/octet-stream' });
      res.end(fs.readFileSync(target));
    };
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!urlPath.endsWith('/')) {
        res.writeHead(301, { location: `${new URL(req.url!, 'http://x').pathname}/` });
        res.end();
        return;
      }
      if (fs.existsSync(path.join(file, 'index.html'))) return send(200, path.join(file, 'index.html'));
    } else if (fs.existsSync(file)) {
      return send(200, file);
    }
    send(404, path.join(root, '404.html'));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => httpServer.close(() => resolve())) };
}

describe('npm run export: the tree served by a static file server', () => {
  it('serves the status page, an incident reached by its link, its stylesheet, and the not-found page', async () => {
    const host = await serveStatic(tree);
    try {
      const home = await fetch(`${host.url}/`);
      expect(home.status).toBe(200);
      const homeHtml = await home.text();
      expect(homeHtml).toContain('Static copy of the');
      const incidentHref = /<a href="(incidents\/[a-z0-9]+\/)"/.exec(homeHtml)![1]!;
      const incident = await fetch(new URL(incidentHref, `${host.url}/`));
      expect(incident.status).toBe(200);
      const incidentHtml = await incident.text();
      const original = await (await fetch(`${server.url}/${incidentHref.replace(/\/$/, '')}`)).text();
      expect(incidentHtml).toContain(/<h1[^>]*>[\s\S]*?<\/h1>/.exec(original)![0]);
      const css = /<link rel="stylesheet" href="([^"]+)"/.exec(incidentHtml)![1]!;
      const cssRes = await fetch(new URL(css, incident.url));
      expect(cssRes.status).toBe(200);
      expect(await cssRes.text()).toBe(await (await fetch(`${server.url}/candor.css`)).text());

      const history = await fetch(`${host.url}/history`);
      expect(history.url).toBe(`${host.url}/history/`);
      const older = /<a href="([^"]+)" rel="next">/.exec(await history.text())![1]!;
      const page2 = await fetch(new URL(older, history.url));
      expect(page2.status).toBe(200);
      expect(page2.url).toBe(`${host.url}/history/page=2/`);

      const missing = await fetch(`${host.url}/incidents/nope/`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('We couldn');
      const feed = await fetch(`${host.url}/history.rss`);
      expect(parseFeed(await feed.text()).items.length).toBeGreaterThan(3);
    } finally {
      await host.close();
    }
  });
});

describe('npm run export: replacing a tree', () => {
  it('replaces an earlier export as a whole', async () => {
    const dir = path.join(work, 'again');
    // The earlier export: a copy of the tree this file's export made (exporting the same site again
    // to make it would only repeat that work).
    fs.cpSync(tree, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stale.html'), 'from an older export');
    const second = await exportSite({ origin: server.url, outDir: dir });
    expect(second.files).toBe(result.files);
    expect(fs.existsSync(path.join(dir, 'stale.html'))).toBe(false);
    expect(fs.readdirSync(work).filter((n) => n.includes('.export-'))).toEqual([]);
  });

  it('refuses to replace a directory that is not an export', async () => {
    const dir = path.join(work, 'precious');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    await expect(exportSite({ origin: server.url, outDir: dir })).rejects.toThrow(/refusing to replace it/);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('keeps the previous tree when the server cannot be reached', async () => {
    const dir = path.join(work, 'kept');
    fs.cpSync(tree, dir, { recursive: true });
    const before = listFiles(dir);
    await expect(exportSite({ origin: 'http://127.0.0.1:1', outDir: dir })).rejects.toThrow(ExportError);
    expect(listFiles(dir)).toEqual(before);
    expect(fs.readdirSync(work).filter((n) => n.includes('.export-'))).toEqual([]);
  });
});

describe('npm run export: starting Candor and watching for changes', () => {
  it('starts Candor itself, waits for /healthz and stops it afterwards', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-export-start-'));
    // The run's prepared demo database (test/support/build-once.ts): Candor finds it ready, as on a
    // restart, instead of preparing one in a child process, which is not what this test is about.
    fs.copyFileSync(inject('demoDatabase'), path.join(dir, 'candor.db'));
    try {
      const candor = await startCandor({
        script: path.resolve('scripts/serve.ts'),
        env: { CANDOR_DB: path.join(dir, 'candor.db'), CANDOR_OUT_DIR: OUT_DIR },
      });
      expect((await fetch(`${candor.origin}/healthz`)).status).toBe(200);
      const exported = await exportSite({ origin: candor.origin, outDir: path.join(dir, 'site') });
      expect(exported.warnings).toEqual([]);
      await candor.stop();
      expect(await candor.exited).not.toBeUndefined();
      await expect(fetch(`${candor.origin}/healthz`)).rejects.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--watch exports again after a change to the data, and only then', async () => {
    const out = path.join(work, 'watched');
    const child = spawn(process.execPath, ['scripts/export.ts', '--from', server.url, '--out', out, '--watch', '--db', server.databasePath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, INIT_CWD: process.cwd() },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exports = () => output.split('\n').filter((l) => / exported \d+ pages/.test(l));
    const waitFor = async (what: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!what()) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gave up waiting; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(() => exports().length === 1 && output.includes('Watching'), 30_000);
      expect(exports()[0]).toMatch(/\(data version \d+\)$/);
      // Nothing changes: no second export.
      await new Promise((r) => setTimeout(r, 4500));
      expect(exports()).toHaveLength(1);

      const id = insertIncident(server.databasePath, {
        title: 'Mirror watch test incident',
        status: 'investigating',
        startedAt: Date.now() - 60_000,
        componentSlug: 'webhooks',
        updates: [{ status: 'investigating', body: 'Looking into it.', at: Date.now() - 60_000 }],
      });
      await waitFor(() => exports().length === 2, 20_000);
      expect(exports()[1]).toMatch(/\(data version \d+\)$/);
      expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('Mirror watch test incident');
      expect(fs.existsSync(path.join(out, 'incidents', id, 'index.html'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode).toBe(0);
  });

  it('the command line refuses a directory that is not an export', async () => {
    const dir = path.join(work, 'cli-precious');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    const child = spawn(process.execPath, ['scripts/export.ts', '--from', server.url, '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain('refusing to replace it');
  });
});
