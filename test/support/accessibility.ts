// WCAG 2.2 AA with axe over every public and workspace page, at 390 and 1280 px, in the light and
// the dark colour scheme. The pages are found by following links from / and /admin (one of each
// route, ids and query strings aside), so a new page is checked without being listed here; they
// are shared between test/e2e/accessibility-{1,2}.test.ts (every other page each), which run in
// parallel files.
// One server, one browser, one context per file. Each page is loaded once and checked four times:
// at each width (page.setViewportSize: the layout and media queries follow, as when a phone turns)
// and in each scheme (page.emulateMedia, which the stylesheet's prefers-color-scheme query follows
// at once; no script reads it). Before each check the document itself must report the width and
// the scheme, so axe never looks at a page still in the previous state.
// axe-core is loaded into every document by an init script and run in the page itself, only its
// violations coming back (test/support/axe.ts), instead of being injected afresh and finished in a
// second blank page for every check: that triples the speed. Loading each page once instead of
// once per width halves the loads, the renders and axe's cold start in each new document. axe reports only
// violations in full (resultTypes): the nodes that pass are counted but not described, which is
// most of axe's time on a long page and nothing this test reads.
import path from 'node:path';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../../db/client.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { axeViolations } from './axe.ts';
import { browserAvailable, launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';
import { createStaff, signIn } from './staff.ts';
import { discoverPages, routeOf } from './site-pages.ts';

const EMAIL = 'owner@example.test';
const WIDTHS = [390, 1280] as const;
const HEIGHT = 900;
const PASSWORD = 'tangerine submarine lighthouse';

const SCHEMES = ['light', 'dark'] as const;

/** Checks every `parts`-th page, starting at the `part`-th (0-based) of the pages found. */
export function describeEveryPageAccessible(part: number, parts: number): void {
  const which = `pages ${part + 1} of every ${parts}`;
  describe.skipIf(!browserAvailable())(`accessibility (axe, WCAG 2.2 AA), 390 and 1280 px, light and dark, ${which}`, () => {
    let server: RunningServer;
    let browser: Browser;
    let cookie: string;
    let pages: string[];

    beforeAll(async () => {
      // Chromium starts while the server does (and is closed in afterAll even if the server fails).
      const launching = launchBrowser().then((b) => (browser = b));
      try {
        server = await startServer();
      } finally {
        await launching;
      }
      await createStaff(server.databasePath, { email: EMAIL, password: PASSWORD, role: 'owner' });
      // A critical incident in progress (its badge, banner and card colours), audited as a change.
      const db = openDatabase(server.databasePath, path.resolve('db/migrations'));
      const relay = db.$client.prepare("select public_id from components where slug = 'smtp-relay'").get() as { public_id: string };
      openIncident(db, SYSTEM_OWNER, {
        title: 'Outgoing mail delayed for EU customers',
        impact: 'critical',
        message: 'Mail through the SMTP relay is **delayed**.\n\n## What you can do\n\nNothing: it will arrive.',
        components: [{ componentId: relay.public_id, level: 'partial_outage' }],
      }, Date.now());
      db.$client.close();
      cookie = await signIn(server.url, EMAIL, PASSWORD);
      pages = await discoverPages(server.url, cookie);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('finds every public and workspace page', () => {
      const routes = pages.map((p) => routeOf(p.split('?')[0]!));
      for (const route of [
        '/', '/history', '/uptime', '/incidents/:id', '/maintenance/:id', '/components/send-api',
        '/admin', '/admin/audit', '/admin/incidents/:id/postmortem', '/admin/incidents/:id/resolve',
        '/admin/maintenance/:id', '/admin/maintenance/past', '/admin/settings', '/admin/users', '/admin/tokens', '/admin/alerts', '/admin/sign-in',
      ]) {
        expect(routes).toContain(route);
      }
    });

    it(`has no violations at 390 and 1280 px, light and dark (${which})`, async () => {
      const context = await browser.newContext({ viewport: { width: WIDTHS[0], height: HEIGHT } });
      await context.addInitScript({ content: axe.source });
      const page = await context.newPage();
      const found: string[] = [];
      // Each page's background in each scheme (at each width): proof that the switch took effect where axe looked.
      const unchanged: string[] = [];
      // The sign-in page first, while signed out; then the rest signed in.
      const ordered = ['/admin/sign-in', ...pages.filter((p) => p !== '/admin/sign-in')];
      const mine = ordered.filter((_, i) => i % parts === part);
      expect(mine.length).toBeGreaterThan(0);
      for (const url of mine) {
        if (url !== '/admin/sign-in' && (await context.cookies()).length === 0) {
          const [name, value] = cookie.split('=') as [string, string];
          await context.addCookies([{ name, value, url: server.url }]);
        }
        await page.goto(server.url + url);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: HEIGHT });
          // A condition, not a pause: the document itself reports the width before axe looks.
          await page.waitForFunction((w) => window.innerWidth === w, width);
          const backgrounds = new Set<string>();
          for (const colorScheme of SCHEMES) {
            await page.emulateMedia({ colorScheme });
            await page.waitForFunction((dark) => matchMedia('(prefers-color-scheme: dark)').matches === dark, colorScheme === 'dark');
            backgrounds.add(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
            const violations = await axeViolations(page);
            for (const v of violations) {
              found.push(`${url} (${width} px, ${colorScheme}) ${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).slice(0, 3).join(' | ')}`);
            }
          }
          if (backgrounds.size !== SCHEMES.length) unchanged.push(`${url} (${width} px)`);
        }
      }
      await context.close();
      expect(found).toEqual([]);
      expect(unchanged, 'pages whose background did not change with the colour scheme').toEqual([]);
    }, 300_000);
  });
}
