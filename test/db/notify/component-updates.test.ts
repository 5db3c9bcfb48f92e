// `component_update` webhooks: one signed POST per component level change, in the shape
// COMPATIBILITY.md describes, to webhook subscribers of that component or of everything.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../../src/server/commands/post-incident-update.ts';
import { scheduleMaintenance } from '../../../src/server/commands/schedule-maintenance.ts';
import { startMaintenance } from '../../../src/server/commands/maintenance-progress.ts';
import { addSubscriber } from '../../../src/server/notify/subscriber-admin.ts';
import type { DeliveryWorker } from '../../../src/server/notify/worker.ts';
import { EDITOR, openCommandDb, type CommandDb } from '../../support/command-db.ts';
import { testDeliveryWorker } from '../../support/delivery.ts';
import { startReceiver, type Received, type Receiver } from '../../support/webhook-receiver.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const start = Date.UTC(2026, 5, 10, 12, 0);

let c: CommandDb;
let receiver: Receiver;
let clock: number;
let worker: DeliveryWorker;

beforeEach(async () => {
  c = openCommandDb(start);
  clock = start;
  receiver = await startReceiver();
  worker = testDeliveryWorker(c.db, () => clock);
});
afterEach(async () => {
  await receiver.close();
  c.close();
});

type Body = Record<string, any>;
const bodies = (path: string): Body[] => receiver.received.filter((r) => r.path === path).map((r: Received) => JSON.parse(r.body) as Body);
const componentUpdates = (path: string) => bodies(path).filter((b) => 'component_update' in b);
const changes = (path: string) => componentUpdates(path).map((b) => [b.component.name, b.component_update.old_status, b.component_update.new_status]);

describe('component_update webhooks', () => {
  it('sends each level change, signed, in the standard shape, to subscribers of that component or of everything', async () => {
    const everything = addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/all`, email: 'a@example.test' }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/relay`, email: 'r@example.test', components: ['smtp-relay'] }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/api`, email: 'p@example.test', components: ['send-api'] }, clock);
    // Chat destinations get incidents, not component updates (those are a webhook format).
    addSubscriber(c.db, EDITOR, { channel: 'slack', url: `${receiver.url}/slack` }, clock);

    const relay = c.component('smtp-relay');
    const incident = openIncident(
      c.db,
      EDITOR,
      { title: 'Relay down', impact: 'critical', message: 'We are on it.', startedAt: clock, components: [{ componentId: relay, level: 'major_outage' }] },
      clock,
    );
    await worker.runDue();

    expect(changes('/all')).toEqual([['SMTP relay', 'operational', 'major_outage']]);
    expect(changes('/relay')).toEqual([['SMTP relay', 'operational', 'major_outage']]);
    expect(receiver.received.filter((r) => r.path === '/api')).toEqual([]);
    expect(componentUpdates('/slack')).toEqual([]);

    const post = receiver.received.find((r) => r.path === '/all' && r.body.includes('"component_update"'))!;
    vi.useFakeTimers({ toFake: ['Date'], now: clock });
    const verified = new Webhook(everything.secret!).verify(post.body, post.headers as Record<string, string>) as Body;
    vi.useRealTimers();
    // Receivers tell kinds apart by the keys: component_update + component, and no incident.
    expect(Object.keys(verified).sort()).toEqual(['component', 'component_update', 'meta', 'page']);
    expect(Object.keys(verified.component_update).sort()).toEqual(['component_id', 'component_type', 'created_at', 'id', 'new_status', 'old_status']);
    expect(verified.component_update).toMatchObject({ component_id: relay, component_type: 'component', created_at: new Date(clock).toISOString() });
    expect(verified.component_update.id).toMatch(/^[a-z0-9]{12}$/);
    expect(verified.component).toMatchObject({ id: relay, name: 'SMTP relay', status: 'major_outage', group: false });
    expect(verified.meta.unsubscribe).toMatch(/\/subscribe\/manage\?token=/);
    expect(verified.meta.generated_at).toBe(new Date(clock).toISOString());
    // The page status counts the period this very command opened.
    expect(verified.page.status_indicator).toBe('major');
    const incidentPost = bodies('/all').find((b) => 'incident' in b)!;
    expect(incidentPost.page.status_indicator).toBe('major');

    // A change of level is told; an update that changes no level is not.
    clock += 30 * MINUTE;
    postIncidentUpdate(c.db, EDITOR, incident.publicId, { status: 'identified', message: 'Found it.', components: [{ componentId: relay, level: 'degraded_performance' }] }, clock);
    clock += 30 * MINUTE;
    postIncidentUpdate(c.db, EDITOR, incident.publicId, { status: 'identified', message: 'Still on it.' }, clock);
    await worker.runDue();
    expect(changes('/relay')).toEqual([
      ['SMTP relay', 'operational', 'major_outage'],
      ['SMTP relay', 'major_outage', 'degraded_performance'],
    ]);
    expect(bodies('/relay').filter((b) => 'incident' in b)).toHaveLength(3);
  });

  it('a quiet post changes nothing for receivers until the next notice, which tells the change from what they last heard', async () => {
    addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/relay`, email: 'r@example.test', components: ['smtp-relay'] }, clock);
    const relay = c.component('smtp-relay');
    const incident = openIncident(
      c.db,
      EDITOR,
      { title: 'Relay slow', impact: 'minor', message: 'Slow.', startedAt: clock, components: [{ componentId: relay, level: 'degraded_performance' }] },
      clock,
    );
    clock += MINUTE;
    postIncidentUpdate(c.db, EDITOR, incident.publicId, { status: 'identified', message: 'Worse.', notify: false, components: [{ componentId: relay, level: 'partial_outage' }] }, clock);
    await worker.runDue();
    expect(changes('/relay')).toEqual([['SMTP relay', 'operational', 'degraded_performance']]);
    clock += MINUTE;
    postIncidentUpdate(c.db, EDITOR, incident.publicId, { status: 'identified', message: 'Working on it.' }, clock);
    await worker.runDue();
    expect(changes('/relay')).toEqual([
      ['SMTP relay', 'operational', 'degraded_performance'],
      ['SMTP relay', 'degraded_performance', 'partial_outage'],
    ]);
  });

  it('maintenance that starts puts its components under maintenance for their webhook subscribers', async () => {
    addSubscriber(c.db, EDITOR, { channel: 'webhook', url: `${receiver.url}/stats`, email: 's@example.test', components: ['statistics'] }, clock);
    const scheduled = scheduleMaintenance(
      c.db,
      EDITOR,
      { title: 'Upgrade', scheduledStart: clock + 40 * DAY, scheduledEnd: clock + 40 * DAY + 60 * MINUTE, components: [c.component('statistics')], message: 'Upgrade.', confirmPolicyWarnings: true },
      clock,
    );
    expect(scheduled.saved).toBe(true);
    await worker.runDue();
    expect(changes('/stats')).toEqual([]);
    clock += 40 * DAY;
    startMaintenance(c.db, EDITOR, scheduled.saved ? scheduled.publicId : '', {}, clock);
    await worker.runDue();
    expect(changes('/stats')).toEqual([['Statistics', 'operational', 'under_maintenance']]);
  });
});
