// Signed webhooks and chat messages to a real node:http receiver, checked with the standardwebhooks
// package the way a receiver would; retries driven by an injected clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { eq } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../../src/server/commands/post-incident-update.ts';
import { addSubscriber } from '../../../src/server/notify/subscriber-admin.ts';
import { EDITOR, openCommandDb, type CommandDb } from '../../support/command-db.ts';
import { testDeliveryWorker } from '../../support/delivery.ts';
import { startReceiver, type Received, type Receiver } from '../../support/webhook-receiver.ts';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 5, 10, 12, 0);

let c: CommandDb;
let receiver: Receiver;
let clock: number;
const workerFor = (allowPrivate: boolean) => testDeliveryWorker(c.db, () => clock, { webhookAllowPrivate: allowPrivate });

beforeEach(async () => {
  c = openCommandDb(start);
  clock = start;
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  c.close();
});

const openRelayIncident = () =>
  openIncident(
    c.db,
    EDITOR,
    { title: 'Relay down', impact: 'critical', message: 'We are on it.', startedAt: clock - HOUR, components: [{ componentId: c.component('smtp-relay'), level: 'major_outage' }] },
    clock,
  );

describe('webhooks', () => {
  it('sends a signed Statuspage-shaped incident with Candor durations; 500 twice then 200 is delivered exactly once more, same webhook-id', async () => {
    const { secret } = addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/hook`, email: 'ops@example.test' }, clock);
    expect(secret).toMatch(/^whsec_/);
    // The incident's message fails twice; the component_update beside it is accepted at once.
    const isIncident = (r: Received) => 'incident' in JSON.parse(r.body);
    receiver.answers.push(500, 500);
    receiver.answer = (r) => (isIncident(r) ? undefined : 200);
    const worker = workerFor(true);
    const incident = openRelayIncident();

    expect(await worker.runDue()).toEqual({ delivered: 1, retried: 1, failed: 0 });
    clock += HOUR;
    expect(await worker.runDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    clock += HOUR;
    expect(await worker.runDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    clock += 24 * HOUR;
    expect(await worker.runDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });

    const incidentPosts = receiver.received.filter(isIncident);
    expect(incidentPosts).toHaveLength(3);
    expect(receiver.received).toHaveLength(4);
    const ids = new Set(incidentPosts.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const last = incidentPosts[2]!;
    // The receiver's clock reads when the message was sent: standardwebhooks refuses stale timestamps.
    vi.useFakeTimers({ toFake: ['Date'], now: start + 2 * HOUR });
    const verified = new Webhook(secret!).verify(last.body, last.headers as Record<string, string>) as Record<string, any>;
    expect(verified.incident.id).toBe(incident.publicId);
    expect(verified.incident.name).toBe('Relay down');
    expect(verified.incident.incident_updates[0].body).toBe('We are on it.');
    expect(verified.incident.components.map((x: { name: string; status: string }) => [x.name, x.status])).toEqual([['SMTP relay', 'major_outage']]);
    expect(verified.page).toMatchObject({ status_indicator: 'major' });
    expect(verified.meta.unsubscribe).toMatch(/\/subscribe\/manage\?token=/);
    expect(verified.candor).toMatchObject({ event: 'incident.opened', failover_duration_seconds: null, customer_impact_duration_seconds: 3600 });
    // A tampered body fails verification.
    expect(() => new Webhook(secret!).verify(last.body.replace('Relay down', 'Relay up'), last.headers as Record<string, string>)).toThrow(/signature/i);
    vi.useRealTimers();
    const attempts = c.db
      .select({ ok: s.deliveryAttempts.ok, result: s.deliveryAttempts.result })
      .from(s.deliveryAttempts)
      .innerJoin(s.deliveries, eq(s.deliveries.id, s.deliveryAttempts.deliveryId))
      .innerJoin(s.notifications, eq(s.notifications.id, s.deliveries.notificationId))
      .where(eq(s.notifications.event, 'incident.opened'))
      .all();
    expect(attempts.map((a) => [a.ok, a.result])).toEqual([[false, 'HTTP 500: nope'], [false, 'HTTP 500: nope'], [true, 'HTTP 200']]);
  });

  it('refuses loopback and private addresses unless CANDOR_WEBHOOK_ALLOW_PRIVATE, without retrying', async () => {
    addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/hook`, email: 'ops@example.test' }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'slack', url: 'http://10.0.0.7/services/x' }, clock);
    openRelayIncident();
    // The webhook's incident and component_update, and the Slack message.
    expect(await workerFor(false).runDue()).toEqual({ delivered: 0, retried: 0, failed: 3 });
    expect(receiver.received).toHaveLength(0);
    const errors = c.db.select({ kind: s.deliveries.kind, e: s.deliveries.lastError }).from(s.deliveries).all();
    expect(errors.filter((r) => r.kind === 'webhook').map((r) => r.e)).toEqual([
      expect.stringMatching(/127\.0\.0\.1, a private or special-purpose address/),
      expect.stringMatching(/127\.0\.0\.1, a private or special-purpose address/),
    ]);
    expect(errors.filter((r) => r.kind === 'slack').map((r) => r.e)).toEqual([expect.stringMatching(/10\.0\.0\.7/)]);
  });

  it('gives up after 24 hours of failures and switches the webhook off, saying why', async () => {
    const { publicId } = addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/hook`, email: 'ops@example.test' }, clock);
    receiver.answers.push(...Array(100).fill(503));
    const worker = workerFor(true);
    openRelayIncident();
    let tries = 0;
    for (; tries < 100; tries++) {
      const run = await worker.runDue();
      if (run.failed > 0) break;
      clock += HOUR;
    }
    expect(tries).toBeGreaterThan(20);
    const sub = c.db.select().from(s.subscribers).where(eq(s.subscribers.publicId, publicId)).get()!;
    expect(sub.disabledAt).not.toBeNull();
    expect(sub.disabledReason).toMatch(/failed for 24 hours.*HTTP 503/);
    // Switched off: the next incident is not queued for it.
    openRelayIncident();
    expect(c.db.select().from(s.deliveries).where(eq(s.deliveries.status, 'pending')).all()).toEqual([]);
  });

  it('posts Slack, Teams and Discord messages in their own formats', async () => {
    addSubscriber(c.db, EDITOR, { channel: 'slack', url: `${receiver.url}/slack` }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'teams', url: `${receiver.url}/teams` }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'discord', url: `${receiver.url}/discord` }, clock);
    const incident = openRelayIncident();
    clock += HOUR;
    postIncidentUpdate(c.db, EDITOR, incident.publicId, { status: 'monitoring', message: 'Failed over <b>now</b>.', failoverComplete: true }, clock);
    await workerFor(true).runDue();
    const by = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
    const [slack] = by('/slack');
    expect(slack.text).toBe('Postwise: Investigating: Relay down');
    expect(slack.blocks[0].text.type).toBe('mrkdwn');
    expect(slack.blocks[0].text.text).toContain(`<http://localhost:4321/incidents/${incident.publicId}|Open on Postwise>`);
    const teams = by('/teams')[1];
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0].content.body[0].text).toBe('Failover complete: Relay down');
    expect(JSON.stringify(teams)).toContain('Failover/mitigation took 2 hours.');
    const discord = by('/discord')[1];
    expect(discord.embeds[0]).toMatchObject({ title: 'Relay down', url: `http://localhost:4321/incidents/${incident.publicId}` });
    expect(discord.embeds[0].description).toContain('Failed over <b>now</b>.');
    expect(by('/slack')[1].blocks[0].text.text).toContain('Failed over &lt;b&gt;now&lt;/b&gt;.');
  });
});
