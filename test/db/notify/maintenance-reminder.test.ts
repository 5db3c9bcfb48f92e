// Maintenance notices: scheduled at once, the reminder waiting in the outbox until 60 minutes
// before the start, and a start that makes the pending reminder moot.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { scheduleMaintenance } from '../../../src/server/commands/schedule-maintenance.ts';
import { startMaintenance } from '../../../src/server/commands/maintenance-progress.ts';
import { addSubscriber } from '../../../src/server/notify/subscriber-admin.ts';
import { EDITOR, openCommandDb, type CommandDb } from '../../support/command-db.ts';
import { testDeliveryWorker } from '../../support/delivery.ts';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.ts';

const MIN = 60_000;
const start = Date.UTC(2026, 5, 10, 8, 0);
let c: CommandDb;
let receiver: Receiver;
let clock: number;

beforeEach(async () => {
  c = openCommandDb(start);
  clock = start;
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  c.close();
});

it('sends the reminder 60 minutes before the start, and not at all once the window has started', async () => {
  addSubscriber(c.db, EDITOR, { channel: 'discord', url: `${receiver.url}/discord` }, clock);
  const worker = testDeliveryWorker(c.db, () => clock);
  const titles = () => receiver.received.map((r) => (JSON.parse(r.body) as { content: string }).content);
  const schedule = (title: string, startsIn: number) =>
    scheduleMaintenance(
      c.db,
      EDITOR,
      { title, scheduledStart: clock + startsIn, scheduledEnd: clock + startsIn + 60 * MIN, components: [c.component('statistics')], message: 'Database upgrade.', confirmPolicyWarnings: true },
      clock,
    );
  const first = schedule('Upgrade one', 180 * MIN);
  schedule('Upgrade two', 240 * MIN);
  await worker.runDue();
  expect(titles()).toEqual(['Postwise: Maintenance scheduled', 'Postwise: Maintenance scheduled']);

  clock += 119 * MIN; // one minute before the first reminder is due
  await worker.runDue();
  expect(titles()).toHaveLength(2);
  clock += MIN;
  await worker.runDue();
  expect(titles().slice(2)).toEqual(['Postwise: Starts in 1 hour']);

  // The second window starts early: its reminder (due in an hour) must never go out.
  if (!first.saved) throw new Error('not saved');
  const second = c.db.all<{ public_id: string }>(sql`select public_id from maintenances where title = 'Upgrade two'`)[0]!.public_id;
  startMaintenance(c.db, EDITOR, second, {}, clock);
  clock += 120 * MIN;
  await worker.runDue();
  expect(titles().slice(3)).toEqual(['Postwise: Maintenance started']);
  const reminders = c.db.all<{ status: string }>(sql`
    select d.status from deliveries d join notifications n on n.id = d.notification_id where n.event = 'maintenance.reminder' order by d.id`);
  expect(reminders.map((r) => r.status)).toEqual(['delivered', 'cancelled']);
});
