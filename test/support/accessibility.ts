// WCAG 2.2 AA with axe over every public and workspace page at one width, in the light and the
// dark colour scheme. test/e2e/accessibility-{390,1280}.test.ts call it once each, so the two
// widths run in parallel files.
// One server, one browser, one context: pages are visited in a loop, and each page, once loaded,
// is checked in both schemes: the scheme is switched on the loaded page (page.emulateMedia, which
// the stylesheet's prefers-color-scheme query follows at once; no script reads it), not by loading
// it again in a second server and browser. The pages are found by
// following links from / and /admin (one of each route, ids and query strings aside), so a new
// page is checked without being listed here. axe-core is loaded into every document by an init
// script and run in the page itself (legacy mode: our pages have no frames), instead of being
// injected afresh and finished in a second blank page for every check: that triples the speed.
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../../db/client.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { browserAvailable, launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';
import { createStaff, signIn } from './staff.ts';
import { discoverPages, routeOf } from './site-pages.ts';

const EMAIL = 'owner@example.test';
// Every rule axe runs by default, plus target-size (WCAG 2.2 AA 2.5.8), which axe leaves off.
const WCAG_22 = { rules: { 'target-size': { enabled: true } } };
const PASSWORD = 'tangerine submarine lighthouse';

const SCHEMES = ['light', 'dark'] as const;

export function describeEveryPageAccessible(width: number): void {
  describe.skipIf(!browserAvailable())(`accessibility (axe, WCAG 2.2 AA), light and dark, ${width} px`, () => {
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

    it(`has no violations, light and dark, ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await context.addInitScript({ content: axe.source });
      const page = await context.newPage();
      const found: string[] = [];
      // Each page's background in each scheme: proof that the switch took effect where axe looked.
      const unchanged: string[] = [];
      // The sign-in page first, while signed out; then the rest signed in.
      const ordered = ['/admin/sign-in', ...pages.filter((p) => p !== '/admin/sign-in')];
      for (const url of ordered) {
        if (url !== '/admin/sign-in' && (await context.cookies()).length === 0) {
          const [name, value] = cookie.split('=') as [string, string];
          await context.addCookies([{ name, value, url: server.url }]);
        }
        await page.goto(server.url + url);
        const backgrounds = new Set<string>();
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          // A condition, not a pause: the document itself reports the scheme before axe looks.
          await page.waitForFunction((dark) => matchMedia('(prefers-color-scheme: dark)').matches === dark, colorScheme === 'dark');
          backgrounds.add(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
          const { violations } = await new AxeBuilder({ page, axeSource: ';' }).setLegacyMode().options(WCAG_22).analyze();
          for (const v of violations) {
            found.push(`${url} (${colorScheme}) ${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).slice(0, 3).join(' | ')}`);
          }
        }
        if (backgrounds.size !== SCHEMES.length) unchanged.push(url);
      }
      await context.close();
      expect(found).toEqual([]);
      expect(unchanged, 'pages whose background did not change with the colour scheme').toEqual([]);
    }, 300_000);
  });
}
