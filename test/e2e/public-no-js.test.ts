// A customer on a phone with JavaScript off: the status page must still tell them everything.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('public site without JavaScript', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  // One context and one page with JavaScript off for the file: each test sets the viewport and the
  // colour scheme it needs before it loads its pages (a fresh load at that size and in that scheme).
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the banner, components and bars, and links through to an incident', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url + '/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Partially Degraded Service');
    for (const name of ['Send API', 'SMTP relay', 'Inbound email', 'Webhooks', 'Admin console', 'Statistics']) {
      await expect(page.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
    }
    const bars = page.getByRole('list', { name: 'Send API, daily status' });
    // One item per day, or one per quiet stretch of --n days drawn as that many bars.
    const days = (visibleOnly: boolean) =>
      bars.locator(visibleOnly ? 'li:visible' : 'li').evaluateAll((items) =>
        items.reduce((sum, li) => sum + Number((li as HTMLElement).style.getPropertyValue('--n') || 1), 0),
      );
    await expect(days(false)).resolves.toBe(90);
    // On a phone the bars show the last 14 days; each still has its text label.
    await expect(days(true)).resolves.toBe(14);
    await page.screenshot({ path: path.join(ARTIFACTS, 'home-phone-no-js.png'), fullPage: true });

    await page.getByRole('link', { name: 'Elevated latency on webhook deliveries' }).click();
    await page.waitForURL(/\/incidents\/[a-z0-9]{12}$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Elevated latency on webhook deliveries');
    await expect(page.getByText('Customer-facing impact duration').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-phone-no-js.png'), fullPage: true });
  });

  it('fits a 320 px wide screen without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    for (const p of ['/', '/history', '/components/smtp-relay']) {
      await page.goto(server.url + p);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, p).toBeLessThanOrEqual(0);
    }
  });

  it('renders in dark mode with readable contrast', async () => {
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(server.url + '/');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(17, 21, 26)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'home-desktop-dark.png'), fullPage: true });
  });
});
