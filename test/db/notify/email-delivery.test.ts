// Email notifications end to end in one process: the real commands publish into the outbox, the
// real worker sends through nodemailer to a real SMTP server (smtp-server), and mailparser reads
// what arrived. The worker runs on an injected clock, driven with runDue(), never by sleeping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../../src/server/commands/post-incident-update.ts';
import { confirmSubscription, requestEmailSubscription, unsubscribe } from '../../../src/server/notify/subscriptions.ts';
import type { DeliveryWorker } from '../../../src/server/notify/worker.ts';
import { EDITOR, openCommandDb, type CommandDb } from '../../support/command-db.ts';
import { testDeliveryWorker } from '../../support/delivery.ts';
import { startMailSink, type MailSink } from '../../support/mail-sink.ts';

const MIN = 60_000;
const start = Date.UTC(2026, 5, 10, 12, 0);

let c: CommandDb;
let sink: MailSink;
let worker: DeliveryWorker;
let clock: number;

beforeEach(async () => {
  c = openCommandDb(start);
  clock = start;
  sink = await startMailSink();
  worker = testDeliveryWorker(c.db, () => clock, { smtpUrl: sink.url, mailFrom: 'Postwise Status <status@postwise.test>' });
});
afterEach(async () => {
  await worker.stop();
  await sink.close();
  c.close();
});

const linkIn = (text: string, path: string) => {
  const match = new RegExp(`https?://\\S+${path.replace('/', '\\/')}\\?token=([\\w-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1]!;
};

/** Subscribes through the public path and confirms with the link from the mail that arrived. */
async function subscribe(email: string, components: string[] = []): Promise<string> {
  requestEmailSubscription(c.db, { email, components }, clock);
  await worker.runDue();
  const mail = sink.mails.findLast((m) => m.to && JSON.stringify(m.to).includes(email))!;
  expect(mail.subject).toContain('Confirm your subscription');
  return confirmSubscription(c.db, linkIn(mail.text!, '/subscribe/confirm'), clock).manageToken;
}

describe('email notifications', () => {
  it('sends nothing but the confirmation before the address is confirmed, then every update as one thread with both durations', async () => {
    requestEmailSubscription(c.db, { email: 'Ada@Example.test', components: ['smtp-relay'] }, clock);
    openIncident(c.db, EDITOR, { title: 'Before confirmation', impact: 'minor', message: 'x', components: [{ componentId: c.component('smtp-relay'), level: 'degraded_performance' }] }, clock);
    await worker.runDue();
    expect(sink.mails.map((m) => m.subject)).toEqual(['[Postwise] Confirm your subscription']);
    expect(c.db.select().from(s.notifications).all().map((n) => n.recipients)).toEqual([0]);

    confirmSubscription(c.db, linkIn(sink.mails[0]!.text!, '/subscribe/confirm'), clock);
    clock += MIN;
    const opened = openIncident(
      c.db,
      EDITOR,
      { title: 'Mail delayed', impact: 'major', message: 'Messages queue for **minutes**.', startedAt: clock - 30 * MIN, components: [{ componentId: c.component('smtp-relay'), level: 'major_outage' }] },
      clock,
    );
    await worker.runDue();
    clock += 60 * MIN;
    postIncidentUpdate(c.db, EDITOR, opened.publicId, { status: 'monitoring', message: 'Failed over.', failoverComplete: true }, clock);
    clock += 120 * MIN;
    postIncidentUpdate(c.db, EDITOR, opened.publicId, { status: 'monitoring', message: 'Queues drained.', customersRestored: true }, clock);
    await worker.runDue();

    const thread = sink.mails.slice(1);
    expect(thread.map((m) => m.subject)).toEqual([
      '[Postwise] Investigating: Mail delayed',
      '[Postwise] Failover complete: Mail delayed',
      '[Postwise] Customers restored: Mail delayed',
    ]);
    const [first, second, third] = thread as [typeof thread[0], typeof thread[0], typeof thread[0]];
    expect(sink.recipients.slice(1)).toEqual(['ada@example.test', 'ada@example.test', 'ada@example.test']);
    expect(first.inReplyTo).toBeUndefined();
    expect(second.inReplyTo).toBe(first.messageId);
    expect(third.references).toBe(first.messageId);
    expect(new Set(thread.map((m) => m.messageId)).size).toBe(3);
    expect(first.text).toContain('Messages queue for **minutes**.');
    expect(first.html).toContain('<strong>minutes</strong>');
    expect(first.text).toContain('SMTP relay: Major outage');
    expect(first.text).toContain('Customers have been affected for 30 minutes so far.');
    expect(third.text).toContain('Failover/mitigation took 1 hour 30 minutes.');
    expect(third.text).toContain('Customers were affected for 3 hours 30 minutes in total.');
    expect(third.text).toContain('Customers remained affected for 2 hours after failover completed.');
    expect(third.text).toContain(`/incidents/${opened.publicId}`);
    // RFC 8058 one-click unsubscribe and the manage link.
    const header = (name: string) => third.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toMatch(/^List-Unsubscribe: <https?:\/\/\S+\/subscribe\/unsubscribe\?token=[\w-]+>$/);
    expect(third.text).toMatch(/\/subscribe\/manage\?token=/);
    // Every delivery is recorded with the server's acceptance.
    const attempts = c.db.select().from(s.deliveryAttempts).all();
    expect(attempts.length).toBe(4);
    expect(attempts.every((a) => a.ok && /250/.test(a.result))).toBe(true);
  });

  it('tells only subscribers of the affected components; "everything" hears about all', async () => {
    await subscribe('relay@example.test', ['smtp-relay']);
    await subscribe('stats@example.test', ['statistics']);
    await subscribe('all@example.test');
    sink.mails.length = 0;
    sink.recipients.length = 0;
    openIncident(c.db, EDITOR, { title: 'Relay slow', impact: 'minor', message: 'Slow.', components: [{ componentId: c.component('smtp-relay'), level: 'degraded_performance' }] }, clock);
    openIncident(c.db, EDITOR, { title: 'Quiet notice', impact: 'none', message: 'No components.', notify: false }, clock);
    await worker.runDue();
    expect(sink.recipients.sort()).toEqual(['all@example.test', 'relay@example.test']);
  });

  it('sends one confirmation per address per 10 minutes, and answers the same for known addresses', async () => {
    requestEmailSubscription(c.db, { email: 'bob@example.test', components: [] }, clock);
    requestEmailSubscription(c.db, { email: 'bob@example.test', components: [] }, clock + MIN);
    await worker.runDue();
    expect(sink.recipients).toEqual(['bob@example.test']);
    clock += 11 * MIN;
    requestEmailSubscription(c.db, { email: 'bob@example.test', components: [] }, clock);
    await worker.runDue();
    expect(sink.recipients).toEqual(['bob@example.test', 'bob@example.test']);
    // The first link no longer works; the newest does.
    const latest = linkIn(sink.mails[1]!.text!, '/subscribe/confirm');
    expect(() => confirmSubscription(c.db, linkIn(sink.mails[0]!.text!, '/subscribe/confirm'), clock)).toThrow(/not valid/);
    confirmSubscription(c.db, latest, clock);
    // Subscribing a confirmed address again mails its manage link (throttled the same way), not a new subscription.
    clock += 11 * MIN;
    requestEmailSubscription(c.db, { email: 'bob@example.test', components: ['statistics'] }, clock);
    await worker.runDue();
    expect(sink.mails[2]!.subject).toBe('[Postwise] Your subscription');
    expect(sink.mails[2]!.text).toMatch(/\/subscribe\/manage\?token=/);
    expect(c.db.select().from(s.subscribers).where(eq(s.subscribers.email, 'bob@example.test')).get()!.allComponents).toBe(true);
  });

  it('deletes the address on unsubscribe and sends it nothing more, even what was queued', async () => {
    const token = await subscribe('carol@example.test');
    sink.mails.length = 0;
    openIncident(c.db, EDITOR, { title: 'Queued', impact: 'minor', message: 'x' }, clock);
    unsubscribe(c.db, token);
    await worker.runDue();
    expect(sink.mails).toEqual([]);
    expect(c.db.select().from(s.subscribers).where(eq(s.subscribers.email, 'carol@example.test')).all()).toEqual([]);
    expect(c.db.select().from(s.deliveries).where(eq(s.deliveries.kind, 'email')).all()).toEqual([]);
  });

  it('retries a temporary refusal with backoff and records both attempts', async () => {
    await subscribe('dan@example.test');
    sink.mails.length = 0;
    sink.failNext(1);
    openIncident(c.db, EDITOR, { title: 'Retry me', impact: 'minor', message: 'x' }, clock);
    expect(await worker.runDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await worker.runDue()).toEqual({ delivered: 0, retried: 0, failed: 0 }); // not due yet
    clock += 31_000;
    expect(await worker.runDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(sink.mails).toHaveLength(1);
    const attempts = c.db.select().from(s.deliveryAttempts).all().slice(-2);
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(attempts[0]!.result).toMatch(/451/);
  });
});
