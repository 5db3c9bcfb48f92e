// A communications officer's worst hour, in Chromium with JavaScript on: open an incident on two
// components, report the failover, apologise, be stopped from resolving while customers are still
// affected, restore them, resolve, publish the post-mortem — and what customers then see.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatZonedLocal } from '../../src/domain/time-zone.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff } from '../support/staff.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const TZ = 'Europe/Amsterdam';
const EMAIL = 'comms@example.test';
const PASSWORD = 'tangerine submarine lighthouse';
const TITLE = 'Email delivery failing from the Amsterdam region';
const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('incident flow in the staff workspace', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    await createStaff(server.databasePath, { email: EMAIL, password: PASSWORD, role: 'editor', name: 'Robin Comms' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const publish = () => page.getByRole('button', { name: 'Publish update' }).click();
  const notice = () => page.getByRole('status').first().textContent();

  it('runs from sign-in to a published post-mortem', async () => {
    await page.goto(`${server.url}/admin`);
    await page.waitForURL(/\/admin\/sign-in/);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/admin`);

    // Open: back-dated 50 minutes, two components. The form fits a phone, too.
    await page.getByRole('link', { name: 'Open an incident' }).first().click();
    await page.setViewportSize({ width: 360, height: 800 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByLabel(/Customers affected since/).fill(formatZonedLocal(Date.now() - 50 * 60_000, TZ));
    await page.getByLabel('SMTP relay', { exact: true }).selectOption('major_outage');
    await page.getByLabel('Inbound email', { exact: true }).selectOption('partial_outage');
    await page.getByLabel('First message to customers').fill('Mail sent through the **SMTP relay** is failing. Inbound mail is delayed.');
    await page.getByRole('button', { name: 'Open incident and publish' }).click();
    await page.waitForURL(/\/admin\/incidents\/[a-z0-9]{12}\?done=opened/);
    const incidentPath = new URL(page.url()).pathname;
    const publicId = incidentPath.split('/').pop()!;
    await expect(notice()).resolves.toContain('Incident opened and published');

    // Failover complete: the provider's side is back, customers are not yet.
    await page.getByLabel('Status', { exact: true }).selectOption('monitoring');
    await page.getByLabel('Message to customers').fill('Failover to Frankfurt is complete. Some queued mail is still being delivered.');
    await page.getByLabel('Failover / mitigation complete').check();
    await publish();
    await page.waitForURL(/done=posted/);
    await expect(page.getByText(/Failover \/ mitigation completed/).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-incident-screen.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-incident-screen-phone.png'), fullPage: true });
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });

    // An apology, labelled as such.
    await page.getByLabel('Apology').check();
    await page.getByLabel('Message to customers').fill('We are sorry: many of you could not send email this morning.');
    await publish();
    await page.waitForURL(/done=posted/);

    // The workspace home now lists this incident beside the demo's older, overdue one.
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Workspace' }).click();
    await expect(page.getByRole('link', { name: TITLE }).count()).resolves.toBe(1);
    await expect(page.locator('.card.stale').count()).resolves.toBe(1);
    await expect(page.locator('.card.stale').textContent()).resolves.toContain('Update overdue');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-home.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-home-phone.png'), fullPage: true });
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}${incidentPath}`);

    // While customers are still marked as affected, the resolve form says why and cannot be filled.
    await page.getByRole('link', { name: 'Resolve…' }).click();
    await expect(page.locator('.warning[role="status"]').textContent()).resolves.toMatch(/Not yet: Customers are still marked as affected on (SMTP relay|Inbound email) and (SMTP relay|Inbound email)/);
    await expect(page.getByLabel('Closing message to customers').isDisabled()).resolves.toBe(true);
    await expect(page.getByLabel('I confirm the service was verified end to end').isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Resolve incident' }).isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-resolve-refused.png'), fullPage: true });

    // Its link opens the update form with "All customers restored" already ticked.
    await page.getByRole('link', { name: 'Post an update that marks customers restored' }).click();
    await expect(page.getByLabel('All customers restored').isChecked()).resolves.toBe(true);
    await page.getByLabel('Message to customers').fill('The last queued messages have been delivered. Every customer is back to normal.');
    await publish();
    await page.waitForURL(/done=posted/);
    // After the update the box is no longer pre-ticked (nothing left to restore, so it is gone).
    await expect(page.getByLabel('All customers restored').count()).resolves.toBe(0);

    await page.getByRole('link', { name: 'Resolve…' }).click();
    await page.getByLabel('Closing message to customers').fill('Resolved. We verified sending and receiving from outside our network.');
    await page.getByLabel('I confirm the service was verified end to end').check();
    await page.getByRole('button', { name: 'Resolve incident' }).click();
    await page.waitForURL(/done=resolved/);

    // Post-mortem, previewed then published.
    await page.getByRole('link', { name: 'Post-mortem' }).click();
    await page.getByLabel('Post-mortem').fill('## Root cause\nA power failure in **Amsterdam**; the backup generator did not start.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.locator('.preview strong').textContent()).resolves.toBe('Amsterdam');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/done=published/);

    // What customers see.
    await page.goto(`${server.url}/incidents/${publicId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TITLE);
    const durations = await page.locator('.duration').allTextContents();
    // Opened with the default wording: plain words, not "failover" (the incident was no failover).
    expect(durations.join(' ')).toMatch(/Time to fix on our side\s*\d+ min/);
    expect(durations.join(' ')).toMatch(/Customer-facing impact duration\s*\d+ min/);
    const updates = page.locator('.updates > li');
    await expect(updates.count()).resolves.toBe(5);
    await expect(updates.locator('.update-status').allTextContents()).resolves.toEqual(['Resolved', 'Monitoring', 'Monitoring', 'Monitoring', 'Investigating']);
    const kinds = await updates.evaluateAll((items) => items.map((li) => [...li.classList].find((c) => c.startsWith('kind-'))));
    expect(kinds).toEqual(['kind-update', 'kind-update', 'kind-apology', 'kind-update', 'kind-update']);
    await expect(page.locator('.kind-badge-apology').textContent()).resolves.toBe('Apology');
    await expect(page.locator('.updates').textContent()).resolves.toContain('We are sorry');
    await expect(page.locator('.postmortem').textContent()).resolves.toContain('the backup generator did not start');
    expect(dialogs).toEqual([]);
  });

  it('schedules maintenance past its policy warnings only when asked to', async () => {
    await page.goto(`${server.url}/admin/maintenance/new`);
    await page.getByLabel('Title').fill('Statistics database upgrade');
    await page.getByLabel(/^Starts/).fill(formatZonedLocal(Date.now() + 2 * 86_400_000, TZ));
    await page.getByLabel(/^Ends/).fill(formatZonedLocal(Date.now() + 2 * 86_400_000 + 50 * 3_600_000, TZ));
    await page.getByLabel('Statistics').check();
    await page.getByLabel('Announcement').fill('Statistics may lag for a while.');
    await page.getByRole('button', { name: 'Check and schedule' }).click();
    await expect(page.getByRole('heading', { name: /breaks the SLA maintenance policy/ }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Statistics database upgrade');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-maintenance-warnings.png'), fullPage: true });
    // Enter in a field must not confirm the breach: the form's first button only previews.
    await page.getByLabel('Title').press('Enter');
    await page.waitForLoadState();
    await expect(page.getByRole('heading', { name: /Preview — as customers will read it/ }).count()).resolves.toBe(1);
    expect(new URL(page.url()).pathname).toBe('/admin/maintenance/new');
    await page.getByRole('button', { name: 'Check and schedule' }).click();
    await page.getByRole('button', { name: 'Schedule anyway' }).click();
    await page.waitForURL(/\/admin\/maintenance\/[a-z0-9]{12}\?done=scheduled/);
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.waitForURL(/done=start/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-maintenance-screen.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });
});
