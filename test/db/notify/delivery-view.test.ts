// The per-recipient delivery view and "Send again": what each recipient's delivery did, masked,
// and a failed one sent again with the same idempotency key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { Conflict, Forbidden } from '../../../src/server/errors.ts';
import { getDeliveryView, maskEmail, maskUrl, retryDelivery } from '../../../src/server/notify/delivery-view.ts';
import { OutboxStore } from '../../../src/server/notify/outbox.ts';
import { createSenders } from '../../../src/server/notify/senders/index.ts';
import { addSubscriber } from '../../../src/server/notify/subscriber-admin.ts';
import { DeliveryWorker } from '../../../src/server/notify/worker.ts';
import { EDITOR, openCommandDb, thrown, VIEWER, type CommandDb } from '../../support/command-db.ts';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.ts';

const start = Date.UTC(2026, 5, 10, 12, 0);
let c: CommandDb;
let clock: number;
let receiver: Receiver;

beforeEach(async () => {
  c = openCommandDb(start);
  clock = start;
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  c.close();
});

const worker = (allowPrivate: boolean) =>
  new DeliveryWorker({
    store: new OutboxStore(c.db.$client),
    senders: createSenders({ smtpUrl: null, mailFrom: 'x@example.test', webhookAllowPrivate: allowPrivate }, 2),
    clock: () => clock,
    random: () => 0.5,
    log: () => undefined,
  });

const notificationOf = (event: string) => c.db.select().from(s.notifications).where(eq(s.notifications.event, event)).get()!.publicId;

describe('masking', () => {
  it.each([
    ['erin@example.com', 'e…@example.com'],
    ['x@y.test', 'x…@y.test'],
    ['not-an-address', '…'],
  ])('shortens the address %s to %s', (address, masked) => expect(maskEmail(address)).toBe(masked));

  it.each([
    ['https://hooks.slack.com/services/T0/B0/secret', 'https://hooks.slack.com/…'],
    ['https://ops.example.com:8443/hook?token=abc', 'https://ops.example.com:8443/…'],
    ['https://ops.example.com/', 'https://ops.example.com/'],
    ['nonsense', '…'],
  ])('keeps only the origin of %s', (url, masked) => expect(maskUrl(url)).toBe(masked));
});

describe('the delivery view', () => {
  it('shows each recipient masked, failed first, with attempts, last error and next attempt', async () => {
    addSubscriber(c.db, EDITOR, { channel: 'email', email: 'erin@example.com' }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'slack', url: `${receiver.url}/slack/T1/secret`, label: '#ops' }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'discord', url: `${receiver.url}/discord/secret` }, clock);
    receiver.answer = (r) => (r.path.startsWith('/discord') ? 503 : 200);
    openIncident(c.db, EDITOR, { title: 'Relay down', impact: 'major', message: 'Looking.', components: [{ componentId: c.component('smtp-relay'), level: 'major_outage' }] }, clock);
    // No SMTP here: the email waits; Slack is accepted; Discord answers 503 and is tried again later.
    await worker(true).runDue();

    const view = getDeliveryView(c.db, notificationOf('incident.opened'), {}, clock);
    expect(view.counts).toEqual({ failed: 0, pending: 2, delivered: 1, cancelled: 0 });
    const port = new URL(receiver.url).port;
    expect(view.rows.map((r) => [r.recipient, r.channel, r.status, r.attempts])).toEqual([
      ['e…@example.com', 'Email', 'pending', 0],
      [`http://127.0.0.1:${port}/…`, 'Discord', 'pending', 1],
      [`#ops (http://127.0.0.1:${port}/…)`, 'Slack', 'delivered', 1],
    ]);
    const discord = view.rows[1]!;
    expect(discord.lastError).toBe('HTTP 503: nope');
    expect(discord.lastAttemptAt).toBe(clock);
    // The first retry waits 30 s drawn between half and all (random 0.5: 22.5 s).
    expect(discord.nextAttemptAt).toBe(clock + 22_500);
    expect(view.rows[2]!.deliveredAt).toBe(clock);
    expect(JSON.stringify(view)).not.toContain('erin@');
    expect(JSON.stringify(view)).not.toContain('secret');

    const delivered = getDeliveryView(c.db, notificationOf('incident.opened'), { status: 'delivered' }, clock);
    expect(delivered.rows.map((r) => r.channel)).toEqual(['Slack']);
    expect(delivered.matching).toBe(1);
  });

  it('sends a failed delivery again with the same webhook-id, switching its destination back on; editors only, failed only', async () => {
    const hook = addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/hook`, email: 'ops@example.com', components: ['statistics'] }, clock);
    openIncident(c.db, EDITOR, { title: 'Stats late', impact: 'minor', message: 'Late.', components: [{ componentId: c.component('statistics'), level: 'degraded_performance' }] }, clock);
    const id = notificationOf('incident.opened');
    // A loopback receiver is refused without retrying unless allowed: failed at once, switched off.
    await worker(false).runDue();
    let row = getDeliveryView(c.db, id, {}, clock).rows[0]!;
    expect(row).toMatchObject({ status: 'failed', disabled: true, retryable: true, attempts: 1 });

    const before = c.counts();
    expect(thrown(() => retryDelivery(c.db, VIEWER, id, { subscriber: hook.publicId }, clock))).toBeInstanceOf(Forbidden);
    expect(c.counts()).toEqual(before);

    clock += 60_000;
    retryDelivery(c.db, EDITOR, id, { subscriber: hook.publicId }, clock);
    row = getDeliveryView(c.db, id, {}, clock).rows[0]!;
    expect(row).toMatchObject({ status: 'pending', disabled: false, nextAttemptAt: clock, attempts: 1 });
    expect(thrown(() => retryDelivery(c.db, EDITOR, id, { subscriber: hook.publicId }, clock))).toBeInstanceOf(Conflict);
    expect(c.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'delivery.retry')).all()).toHaveLength(1);

    await worker(true).runDue();
    row = getDeliveryView(c.db, id, {}, clock).rows[0]!;
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    const incidentPosts = receiver.received.filter((r) => 'incident' in JSON.parse(r.body));
    expect(incidentPosts).toHaveLength(1);
    // The key is the delivery's: the same webhook-id the failed attempt carried.
    const key = c.db.select({ key: s.deliveries.key }).from(s.deliveries).innerJoin(s.notifications, eq(s.notifications.id, s.deliveries.notificationId)).where(eq(s.notifications.publicId, id)).get()!.key;
    expect(incidentPosts[0]!.headers['webhook-id']).toBe(`msg_${key}`);
  });
});
