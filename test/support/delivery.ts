// The delivery worker as the notification tests drive it: on a command test's database, with the
// test's clock, retry jitter fixed at its middle and no log lines.
import type { Db } from '../../db/client.ts';
import { OutboxStore } from '../../src/server/notify/outbox.ts';
import { createSenders } from '../../src/server/notify/senders/index.ts';
import { DeliveryWorker } from '../../src/server/notify/worker.ts';

export interface TestWorkerOptions {
  /** The mail sink's URL; without it email is off. */
  smtpUrl?: string | null;
  mailFrom?: string;
  /** Webhooks may reach the loopback receiver (default true). */
  webhookAllowPrivate?: boolean;
}

export function testDeliveryWorker(db: Db, clock: () => number, options: TestWorkerOptions = {}): DeliveryWorker {
  return new DeliveryWorker({
    store: new OutboxStore(db.$client),
    senders: createSenders(
      { smtpUrl: options.smtpUrl ?? null, mailFrom: options.mailFrom ?? 'x@example.test', webhookAllowPrivate: options.webhookAllowPrivate ?? true },
      2,
    ),
    clock,
    random: () => 0.5,
    log: () => undefined,
  });
}
