// WCAG 2.2 AA with axe over every public and workspace page, at 390 and 1280 px, in the light and
// the dark colour scheme. The pages are found by following links from / and /admin (one of each
// route, ids and query strings aside), so a new page is checked without being listed here; they
// are shared between test/e2e/accessibility-{1,2}.test.ts (every other page each), which run in
// parallel files.
// One server, one browser, one context per file. Each page is loaded once and checked four times,
// at 390 and 1280 px in the light and the dark scheme (checkEveryWidthAndScheme in
// test/support/axe.ts), axe-core loaded into every document by an init script and run in the page
// itself. Loading each page once instead of once per width halves the loads, the renders and axe's
// cold start in each new document.
import path from 'node:path';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../../db/client.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { checkEveryWidthAndScheme, HEIGHT, WIDTHS } from './axe.ts';
import { browserAvailable, launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';
import { createStaff, signIn } from './staff.ts';
import { discoverPages, routeOf } from './site-pages.ts';

const EMAIL = 'owner@example.test';
const PASSWORD = 'tangerine submarine lighthouse';

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
      // Pages whose background did not change with the scheme: the switch did not take effect where axe looked.
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
        const checked = await checkEveryWidthAndScheme(page);
        found.push(...checked.violations.map((v) => `${url} ${v}`));
        unchanged.push(...checked.backgroundUnchangedAt.map((width) => `${url} (${width} px)`));
      }
      await context.close();
      expect(found).toEqual([]);
      expect(unchanged, 'pages whose background did not change with the colour scheme').toEqual([]);
    }, 300_000);
  });
}
