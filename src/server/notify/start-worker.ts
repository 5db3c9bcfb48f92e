// Starts the delivery worker inside the serving process, on its own database connection.
import Database from 'better-sqlite3';
import type { Config } from '../../config.ts';
import { OutboxStore } from './outbox.ts';
import { createSenders } from './senders/index.ts';
import { DeliveryWorker } from './worker.ts';

/** Messages in flight at once, and SMTP connections in the pool. */
export const DELIVERY_CONCURRENCY = 8;

export function startDeliveryWorker(
  config: Pick<Config, 'databasePath' | 'smtpUrl' | 'mailFrom' | 'webhookAllowPrivate' | 'litestream' | 'purge'>,
  log: (line: string) => void = (line) => console.log(line),
  pollMs = 500,
): DeliveryWorker {
  const sqlite = new Database(config.databasePath, { fileMustExist: true });
  sqlite.pragma('journal_mode = WAL');
  // Short, like the server's own connection: this worker runs on the serving thread, and a lock held
  // elsewhere must not freeze every reader; a busy poll fails and the next one tries again.
  sqlite.pragma('busy_timeout = 10');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Under Litestream, checkpoints are its job (see db/client.ts).
  if (config.litestream) sqlite.pragma('wal_autocheckpoint = 0');
  if (!config.smtpUrl) log('Email notifications are off: set CANDOR_SMTP_URL (and CANDOR_MAIL_FROM) to let people subscribe by email.');
  const store = new OutboxStore(sqlite);
  store.releaseAll();
  const worker = new DeliveryWorker({
    store,
    senders: createSenders(config, DELIVERY_CONCURRENCY),
    concurrency: DELIVERY_CONCURRENCY,
    onStop: () => sqlite.close(),
    log,
  });
  worker.start(pollMs);
  return worker;
}
