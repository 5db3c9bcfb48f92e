// Hostile text typed into the configuration forms (component, group, site and user names) comes
// back escaped everywhere it is shown: public pages, workspace pages, feeds and JSON — and never
// runs in Chromium.
import Database from 'better-sqlite3';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../support/admin-client.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';
import { containsRawPayload, htmlEscaped, XSS_CORPUS } from '../support/xss-corpus.ts';

let server: RunningServer;
let owner: AdminClient;
let cookie: string;
const PASSWORD = 'correct horse battery';
/** The site name is one field (100 characters at most): the payloads that matter most for it. */
const SITE_NAME = ['</title><script>alert(1)</script>', '"><img src=x onerror=alert(1)>', ']]>', 'javascript:alert(1)'].join(' ');

function publicIdOf(sql: string): string {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return (db.prepare(sql).get() as { public_id: string }).public_id;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'owner@example.com', password: PASSWORD, role: 'owner' });
  cookie = await signIn(server.url, 'owner@example.com', PASSWORD);
  owner = adminClient(server.url, cookie);
  for (const [i, payload] of XSS_CORPUS.entries()) {
    expect((await owner.post('/admin/components/groups/new', { name: payload, description: payload })).status).toBe(303);
    const group = publicIdOf('select public_id from component_groups order by id desc limit 1');
    const component = { name: payload, slug: `xss-${i}`, description: payload, group, startDate: '', slaPolicy: '' };
    expect((await owner.post('/admin/components/new', component)).status).toBe(303);
    const user = { email: `xss${i}@example.com`, name: payload, role: 'viewer', password: 'long enough passphrase' };
    expect((await owner.post('/admin/users/new', user)).status).toBe(303);
  }
  const settings = { name: SITE_NAME, url: 'https://status.example.com', timeZone: 'UTC', accentColor: '#2f5fd0', historyDays: '90', defaultSlaPolicy: '' };
  expect((await owner.post('/admin/settings', settings)).status).toBe(303);
});
afterAll(() => server?.stop());

const PUBLIC_PAGES = ['/', ...XSS_CORPUS.map((_, i) => `/components/xss-${i}`), '/history', '/uptime'];
/** Inside a double-quoted attribute only `&` and `"` need escaping; `<` is inert there. */
const attributeEscaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/** Workspace pages, each with how one payload must appear on it. */
const adminPages = (): [string, string][] => [
  ['/admin/components', `<strong>${htmlEscaped(XSS_CORPUS[0])}</strong>`],
  ['/admin/users', `>${htmlEscaped(XSS_CORPUS[1])}</a>`],
  ['/admin/audit', `<ins>${htmlEscaped(SITE_NAME)}</ins>`],
  ['/admin/settings', `value="${attributeEscaped(SITE_NAME)}"`],
  [`/admin/components/${publicIdOf("select public_id from components where slug = 'xss-1'")}`, `value="${attributeEscaped(XSS_CORPUS[1])}"`],
  [`/admin/components/groups/${publicIdOf('select public_id from component_groups order by id desc limit 1')}`, `value="${attributeEscaped(XSS_CORPUS[5])}"`],
  [`/admin/users/${publicIdOf("select public_id from users where email = 'xss4@example.com'")}`, `<h1>${htmlEscaped(XSS_CORPUS[4])}</h1>`],
];

describe('escaping in HTML', () => {
  it.each(PUBLIC_PAGES)('public page %s shows every payload as text', async (path) => {
    const html = await (await fetch(server.url + path)).text();
    expect(containsRawPayload(html)).toBe(false);
    // The site name is in every title; its </title> must not end the element.
    expect(html).toMatch(/<title>[^<]*&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;[^<]*<\/title>/);
    if (path.startsWith('/components/')) {
      const payload = XSS_CORPUS[Number(path.split('-')[1])]!;
      expect(html).toContain(`<h1>${htmlEscaped(payload)}</h1>`);
    }
  });

  it('the home page lists every component and group name, escaped', async () => {
    const html = await (await fetch(server.url + '/')).text();
    for (const payload of XSS_CORPUS) expect(html).toContain(htmlEscaped(payload));
  });

  it('workspace pages show the payloads escaped (text and form values)', async () => {
    for (const [path, expected] of adminPages()) {
      const res = await owner.get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(containsRawPayload(html), path).toBe(false);
      expect(html, path).toContain(expected);
    }
  });
});

describe('escaping in feeds and JSON', () => {
  it('the history feeds stay well-formed and carry the site name as text', async () => {
    for (const path of ['/history.rss', '/history.atom']) {
      const xml = await (await fetch(server.url + path)).text();
      expect(parseFeed(xml).title, path).toContain(SITE_NAME);
    }
  });

  it('each component feed carries the component name as text', async () => {
    for (const [i, payload] of XSS_CORPUS.entries()) {
      const xml = await (await fetch(`${server.url}/components/xss-${i}.rss`)).text();
      expect(parseFeed(xml).title).toContain(payload);
    }
  });

  it('the status API returns the names exactly, as JSON strings', async () => {
    const summary = await (await fetch(`${server.url}/api/v2/summary.json`)).json();
    expect(summary.page.name).toBe(SITE_NAME);
    const names = summary.components.map((c: { name: string }) => c.name);
    for (const payload of XSS_CORPUS) expect(names).toContain(payload);
  });
});

describe.runIf(browserAvailable())('in Chromium', () => {
  it('no payload runs or becomes an element on any page', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: server.url }]);
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(`${page.url()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      for (const path of [...PUBLIC_PAGES, ...adminPages().map(([p]) => p)]) {
        await page.goto(server.url + path);
        const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length);
        expect(injected, path).toBe(0);
        if (!path.startsWith('/admin')) expect(await page.title(), path).toContain('</title><script>alert(1)</script>');
      }
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
