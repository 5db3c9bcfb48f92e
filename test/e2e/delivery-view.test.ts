// The per-recipient delivery view in Chromium: an owner finds a failed delivery from the
// notifications list, reads why (addresses masked), sends it again; axe finds nothing to fix; a
// viewer sees the view but cannot send.
import path from 'node:path';
import axe from 'axe-core';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { addSubscriber } from '../../src/server/notify/subscriber-admin.ts';
import { adminClient } from '../support/admin-client.ts';
import { axeViolations, describeViolation } from '../support/axe.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

const hasBrowser = browserAvailable();
const PASSWORD = 'tangerine submarine lighthouse';

describe.skipIf(!hasBrowser)('the delivery view', () => {
  let server: RunningServer;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let notification: string;

  /** The webhook delivery's status and attempts, read from the server's database. */
  const webhookDelivery = () => {
    const db = new Database(server.databasePath, { readonly: true });
    try {
      return db.prepare("select status, attempts from deliveries where kind = 'webhook' and notification_id = (select id from notifications where public_id = ?)").get(notification) as {
        status: string;
        attempts: number;
      };
    } finally {
      db.close();
    }
  };

  async function until<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    // Without CANDOR_WEBHOOK_ALLOW_PRIVATE the loopback receiver is refused: a failed delivery.
    server = await startServer();
    await createStaff(server.databasePath, { email: 'owner@example.test', password: PASSWORD, role: 'owner' });
    await createStaff(server.databasePath, { email: 'viewer@example.test', password: PASSWORD, role: 'viewer' });
    const db = openDatabase(server.databasePath, path.resolve('db/migrations'));
    try {
      addSubscriber(db, SYSTEM_OWNER, { channel: 'webhook', url: `${receiver.url}/hooks/very-secret-path`, email: 'ops@example.test', label: 'Ops pager' }, Date.now());
      addSubscriber(db, SYSTEM_OWNER, { channel: 'email', email: 'erin@customer.example' }, Date.now());
      const relay = db.$client.prepare("select public_id from components where slug = 'smtp-relay'").get() as { public_id: string };
      openIncident(db, SYSTEM_OWNER, { title: 'Relay refusing mail', impact: 'major', message: 'We see 421 replies.', components: [{ componentId: relay.public_id, level: 'major_outage' }] }, Date.now());
      notification = (db.$client.prepare("select public_id from notifications where event = 'incident.opened' order by id desc limit 1").get() as { public_id: string }).public_id;
    } finally {
      db.$client.close();
    }
    await until(webhookDelivery, (d) => d.status === 'failed');
    browser = await launchBrowser();
    // Signed in with the sign-in form's own post (test/support/staff.ts); the form itself is tested
    // in incident-flow and admin-auth.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = (await signIn(server.url, 'owner@example.test', PASSWORD)).split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  it('shows each recipient masked with status, attempts and the last error, and has no axe violations', async () => {
    await page.goto(`${server.url}/admin/notifications`);
    await page.getByRole('link', { name: /Relay refusing mail/ }).first().click();
    await page.waitForURL(`${server.url}/admin/notifications/${notification}`);
    const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll<HTMLElement>('th, td')].map((c) => c.innerText.trim().replace(/\s+/g, ' '))));
    const port = new URL(receiver.url).port;
    expect(rows[0]!.slice(0, 4)).toEqual([`Ops pager (http://127.0.0.1:${port}/…)`, 'Webhook', 'Failed Destination switched off', expect.stringMatching(/^1 last /)]);
    expect(rows[0]![4]).toMatch(/127\.0\.0\.1, a private or special-purpose address/);
    expect(rows[1]!.slice(0, 4)).toEqual(['e…@customer.example', 'Email', 'Pending', '0']);
    const html = await page.content();
    expect(html).not.toContain('very-secret-path');
    expect(html).not.toContain('erin@');

    // axe-core evaluated once in this document and run in it, only its violations coming back
    // (test/support/axe.ts), instead of injected afresh and finished in a second blank page for
    // every check, as in test/support/accessibility.ts.
    await page.evaluate(axe.source);
    for (const [colorScheme, width] of [['light', 1280], ['dark', 390]] as const) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      expect((await axeViolations(page)).map(describeViolation)).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('sends a failed delivery again for an owner, with the destination switched back on', async () => {
    await page.goto(`${server.url}/admin/notifications/${notification}`);
    await page.getByRole('button', { name: /^Send again to Ops pager/ }).click();
    await page.waitForURL(/\?retried=/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Queued to be sent again');
    // Still a loopback address: the worker tries once more and is refused again.
    expect(await until(webhookDelivery, (d) => d.attempts === 2)).toEqual({ status: 'failed', attempts: 2 });
  });

  it('lets a viewer read the view but not send again', async () => {
    const viewer = adminClient(server.url, await signIn(server.url, 'viewer@example.test', PASSWORD));
    const view = await viewer.get(`/admin/notifications/${notification}`);
    expect(view.status).toBe(200);
    expect(await view.text()).not.toContain('Send again');
    const db = new Database(server.databasePath, { readonly: true });
    const subscriber = (db.prepare("select public_id from subscribers where label = 'Ops pager'").get() as { public_id: string }).public_id;
    db.close();
    const refused = await viewer.post(`/admin/notifications/${notification}`, { intent: 'retry', subscriber });
    expect(refused.status).toBe(403);
    expect(webhookDelivery().status).toBe('failed');
    expect((await viewer.get('/admin/notifications/nosuchthing0')).status).toBe(404);
    // Refused again after the retry, so switched off again: the workspace home says so.
    expect(await (await viewer.get('/admin')).text()).toContain('A notification destination is switched off</strong>');
  });
});
