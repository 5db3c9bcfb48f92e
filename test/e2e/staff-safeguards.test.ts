// A communications person under pressure, in Chromium: the workspace asks before publishing an
// empty post-mortem, a cancellation or an incident without components, and says plainly what is
// true (post-mortems still needed, audit times, cancelled windows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CANCELLED_WINDOW_VERDICT } from '../../src/domain/sla-wording.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const hasBrowser = browserAvailable();
const EMAIL = 'editor@example.test';
const PASSWORD = 'tangerine submarine lighthouse';

describe.skipIf(!hasBrowser)('staff safeguards in the workspace', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const missing: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    await createStaff(server.databasePath, { email: EMAIL, password: PASSWORD, role: 'editor' });
    browser = await launchBrowser();
    // Signed in with the sign-in form's own post (test/support/staff.ts); the form itself is tested
    // in incident-flow and admin-auth.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = (await signIn(server.url, EMAIL, PASSWORD)).split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    page = await context.newPage();
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists which incidents still need a post-mortem, and asks before publishing one with only headings', async () => {
    await page.goto(`${server.url}/admin/incidents`);
    const states = await page.locator('.admin-table tbody td:last-child').allTextContents();
    expect(states).toContain('Published');
    expect(states.every((s) => ['Published', 'Draft, not published', 'Needed: not written', 'Optional'].includes(s))).toBe(true);
    await page.locator('.admin-table tbody tr', { hasText: 'Needed: not written' }).first().getByRole('link', { name: 'Needed: not written' }).click();
    const asked = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const response = await asked;
    expect(response.status()).toBe(422);
    expect(response.statusText()).toBe('Unprocessable Entity');
    await expect(page.locator('#f-body-error').textContent()).resolves.toContain('only headings');
    await expect(page.getByText('Not started').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Publish anyway' }).click();
    await page.waitForURL(/done=published/);
  });

  it('asks before cancelling maintenance, showing the message customers will read', async () => {
    await page.goto(`${server.url}/admin/maintenance`);
    await page.getByRole('link', { name: 'Inbound email storage migration' }).first().click();
    const path = new URL(page.url()).pathname;
    await page.locator('#f-message').fill('We postponed this work to next month.');
    await page.getByRole('button', { name: 'Cancel maintenance' }).click();
    await expect(page.locator('.confirm-message').textContent()).resolves.toBe('We postponed this work to next month.');
    // Nothing published yet.
    const publicPage = await (await fetch(server.url + path.replace('/admin', ''))).text();
    expect(publicPage).not.toContain('postponed');
    await page.getByRole('button', { name: 'Yes, cancel and publish' }).click();
    await page.waitForURL(/done=cancel/);
    await expect(page.locator('main').textContent()).resolves.toContain(CANCELLED_WINDOW_VERDICT);
    expect(await (await fetch(server.url + path.replace('/admin', ''))).text()).toContain('postponed');
  });

  it('warns before opening an incident with no affected component, and keeps the panel consistent', async () => {
    await page.goto(`${server.url}/admin/incidents/new`);
    // Components without a group are not shown under the previous group's heading.
    const groups = await page.locator('.level-grid .group-name').allTextContents();
    expect(groups.at(-1)).toBe('Not in a group');
    await page.locator('#f-title').fill('Dashboard slow to load', { timeout: 5000 });
    await page.locator('#f-impact').selectOption('minor', { timeout: 5000 });
    await page.locator('#f-message').fill('The dashboard is slow. We are looking into it.', { timeout: 5000 });
    await page.getByRole('button', { name: 'Open incident and publish' }).click({ timeout: 5000 });
    await expect(page.locator('fieldset #f-components-error').textContent({ timeout: 5000 })).resolves.toContain('No component is marked as affected');
    await expect(page.locator('#f-title').inputValue()).resolves.toBe('Dashboard slow to load');
    await page.getByRole('button', { name: 'Open without components' }).click();
    await page.waitForURL(/done=opened/);
    await expect(page.locator('.screen-side').textContent()).resolves.toContain('No component is marked as affected, so customers see every component as operational');
    await expect(page.getByRole('link', { name: /Ready to resolve/ }).count()).resolves.toBe(0);
  });

  it('shows audit times in the site time zone, and the workspace has a favicon', async () => {
    await page.goto(`${server.url}/admin/audit`);
    const text = (await page.locator('table.audit').textContent()) ?? '';
    expect(text).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} [A-Z]/);
    expect(text).not.toMatch(/\b1\d{12}\b/);
    expect(missing.filter((u) => u.includes('favicon'))).toEqual([]);
  });

  it('after resolving, offers an apology or a correction, apology first', async () => {
    await page.goto(`${server.url}/admin/incidents`);
    await page.locator('.admin-table tbody a').first().click();
    await expect(page.getByRole('heading', { name: 'Post an apology or correction' }).count()).resolves.toBe(1);
    await expect(page.getByRole('radio', { name: 'Apology' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: 'Update' }).count()).resolves.toBe(0);
  });

  it('keeps the impact window times readable at 1280 px', async () => {
    await page.goto(`${server.url}/admin/incidents`);
    const href = await page.locator('.admin-table tbody a').first().getAttribute('href');
    await page.goto(`${server.url}${href}/impact`);
    for (const input of await page.locator('input[type="datetime-local"]').all()) {
      const fits = await input.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const row = el.closest('fieldset')!.getBoundingClientRect();
        return box.width >= 200 && box.right <= row.right + 0.5;
      });
      expect(fits).toBe(true);
    }
  });
});
