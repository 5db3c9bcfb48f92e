// The XSS corpus, typed into the workspace's forms, must never run in a real browser — on the
// public pages customers read or on the workspace pages staff use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { adminClient } from '../support/admin-client.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';
import { seedPayloadsThroughForms, type SeededPayloads } from '../support/xss-seed.ts';

const PASSWORD = 'quiet harbour orange kettle';
const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('XSS payloads in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let cookie: string;
  let seeded: SeededPayloads;

  beforeAll(async () => {
    server = await startServer();
    await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
    cookie = await signIn(server.url, 'editor@example.test', PASSWORD);
    seeded = await seedPayloadsThroughForms(adminClient(server.url, cookie), server.databasePath);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('never opens a dialog on any page that shows them', async () => {
    const context = await browser.newContext();
    const [name, value] = cookie.split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(`${page.url()}: ${d.message()}`);
      void d.dismiss();
    });
    const paths = [...seeded.publicPaths, ...seeded.adminPaths];
    const firstIncident = `/incidents/${seeded.incidents[0]}`;
    expect(paths).toContain(firstIncident);
    for (const path of paths) {
      const response = await page.goto(server.url + path, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
      // A payload that became an element (img, svg, script) would be here.
      await expect(page.locator('img[src="x"], svg[onload], script:not([src])').evaluateAll((found) => found.filter((e) => /alert/.test(e.outerHTML)).length)).resolves.toBe(0);
      if (path === firstIncident) {
        // Clicking the links that were javascript: URLs in the markdown does nothing either (looked
        // at while the page is loaded, not on a second load of it).
        const links = page.locator('.prose a', { hasText: 'details' });
        await expect(links.first().getAttribute('href')).resolves.toBeNull();
      }
    }
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
