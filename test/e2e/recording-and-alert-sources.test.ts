// The workspace pages for recording after the fact and for alert sources, in Chromium as an owner
// uses them (no scripts needed): record a past maintenance window after a refused first try, open
// an incident back-dated, create an alert source and set its rule. axe (WCAG 2.2 AA) checks each
// page as it stands, errors shown included, light and dark, at 390 and 1280 px.
// One server, one browser context and one page for the whole file: the tests follow one owner's
// session. axe-core is loaded into every document by an init script and run in the page, only its
// violations coming back (test/support/axe.ts), as in test/support/accessibility.ts.
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatZonedLocal } from '../../src/domain/time-zone.ts';
import { axeViolations, checkEveryWidthAndScheme, describeViolation } from '../support/axe.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const hasBrowser = browserAvailable();
const EMAIL = 'owner@example.test';
const PASSWORD = 'tangerine submarine lighthouse';
const HOUR = 3_600_000;
const local = (at: number) => formatZonedLocal(at, 'Europe/Amsterdam');

describe.skipIf(!hasBrowser)('recording after the fact and alert sources in the workspace', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const checked: string[] = [];

  async function violationsOn(p: Page): Promise<string[]> {
    return (await axeViolations(p)).map((v) => `${new URL(p.url()).pathname} ${describeViolation(v)}`);
  }

  beforeAll(async () => {
    server = await startServer();
    await createStaff(server.databasePath, { email: EMAIL, password: PASSWORD, role: 'owner' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: axe.source });
    // Signed in with the sign-in form's own post (test/support/staff.ts); the form itself is tested
    // in incident-flow and admin-auth.
    const [name, value] = (await signIn(server.url, EMAIL, PASSWORD)).split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records a past maintenance window after a refused try that kept everything typed', async () => {
    await page.goto(`${server.url}/admin/maintenance`);
    await page.getByRole('link', { name: 'Record past maintenance' }).click();
    await page.locator('#f-title').fill('Emergency kernel patch');
    await page.locator('#f-scheduledStart').fill(local(Date.now() - 26 * HOUR));
    await page.locator('#f-scheduledEnd').fill(local(Date.now() - 25 * HOUR));
    await page.locator('#f-announced').selectOption('yes');
    await page.locator('#f-message').fill('We patched the relays.');
    await page.getByRole('button', { name: 'Record and publish' }).click();
    await expect(page.locator('#f-announcedAt-error').textContent()).resolves.toContain('Enter when customers were told');
    await expect(page.locator('#f-components-error').textContent()).resolves.toContain('Choose the components');
    await expect(page.locator('#f-title').inputValue()).resolves.toBe('Emergency kernel patch');
    expect(await violationsOn(page)).toEqual([]);
    checked.push(new URL(page.url()).pathname);
    await page.locator('#f-announced').selectOption('no');
    await page.getByLabel('SMTP relay').check();
    await page.getByRole('button', { name: 'Record and publish' }).click();
    await page.waitForURL(/done=recorded/);
    await expect(page.locator('main').textContent()).resolves.toContain('Past maintenance recorded');
  });

  it('opens an incident back-dated, with its first message dated when it happened', async () => {
    await page.goto(`${server.url}/admin/incidents/new`);
    await page.locator('#f-title').fill('Relay queue stuck overnight');
    await page.locator('#f-impact').selectOption('major');
    await page.locator('#f-startedAt').fill(local(Date.now() - 3 * HOUR));
    await page.getByText('Recording this after the fact?').click();
    await page.locator('#f-displayAt').fill(local(Date.now() + 3 * HOUR));
    await page.getByLabel('SMTP relay').selectOption('partial_outage');
    await page.locator('#f-message').fill('Mail was queueing.');
    await page.getByRole('button', { name: 'Open incident and publish' }).click();
    await expect(page.locator('#f-displayAt-error').textContent()).resolves.toContain('in the future');
    expect(await violationsOn(page)).toEqual([]);
    await page.locator('#f-displayAt').fill(local(Date.now() - 2 * HOUR));
    await page.getByRole('button', { name: 'Open incident and publish' }).click();
    await page.waitForURL(/done=opened/);
    const id = /\/admin\/incidents\/([a-z0-9]+)/.exec(page.url())![1]!;
    const publicPage = await (await fetch(`${server.url}/incidents/${id}`)).text();
    expect(publicPage).toMatch(/Recorded at <time[^>]*>[^<]+<\/time>, about events at <time/);
  });

  it('creates an alert source, shows its token once and saves a rule', async () => {
    await page.goto(`${server.url}/admin`);
    await page.getByRole('link', { name: 'Alert sources' }).click();
    await page.locator('#f-name').fill('Prometheus');
    await page.locator('#f-slug').fill('prometheus');
    await page.getByRole('button', { name: 'Create source and show its token' }).click();
    await expect(page.locator('#new-token').textContent()).resolves.toMatch(/^candor_/);
    expect(await violationsOn(page)).toEqual([]);
    checked.push('/admin/alerts');
    await page.getByRole('link', { name: 'set which labels map to which components' }).click();
    await page.locator('[id="f-rules.0.label"]').fill('service');
    await page.locator('[id="f-rules.0.value"]').fill('smtp');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await expect(page.locator('[id="f-rules.0.component-error"]').textContent()).resolves.toContain('Choose the component');
    expect(await violationsOn(page)).toEqual([]);
    await page.locator('[id="f-rules.0.component"]').selectOption({ label: 'Sending · SMTP relay' });
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.waitForURL(/done=rules/);
    await expect(page.locator('[id="f-rules.0.label"]').inputValue()).resolves.toBe('service');
    checked.push(new URL(page.url()).pathname);
  });

  // Each page loaded once and checked at both widths in both schemes, switched on the loaded page
  // (test/support/axe.ts, as in test/support/accessibility.ts).
  it('has no axe violations on the new pages, light and dark, at 390 and 1280 px', async () => {
    const found: string[] = [];
    for (const path of [...checked, '/admin/incidents/new']) {
      await page.goto(server.url + path);
      const { violations, backgroundUnchangedAt } = await checkEveryWidthAndScheme(page);
      found.push(...violations.map((v) => `${path} ${v}`));
      expect(backgroundUnchangedAt, `${path}: widths at which the background did not change with the colour scheme`).toEqual([]);
    }
    expect(checked).toHaveLength(3);
    expect(found).toEqual([]);
  }, 120_000);
});
