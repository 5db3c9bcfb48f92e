// The delivery worker on its own database connection: what the delivery process runs
// (delivery-process.ts), and what the crash test's child process runs.
import Database from 'better-sqlite3';
import { limitPageCache } from '../../../db/page-cache.ts';
import type { Config } from '../../config.ts';
import { OutboxStore } from './outbox.ts';
import type { DeliveryWriteFlag } from '../delivery-write-flag.ts';
import { createSenders } from './senders/index.ts';
import { DeliveryWorker } from './worker.ts';

/** Messages in flight at once, and SMTP connections in the pool. */
export const DELIVERY_CONCURRENCY = 8;

/** What delivery needs of the configuration (read once by src/config.ts in the main thread). */
export type DeliveryConfig = Pick<Config, 'databasePath' | 'smtpUrl' | 'mailFrom' | 'webhookAllowPrivate' | 'litestream' | 'purge'>;

/**
 * Opens the worker's own connection, releases the leases a dead worker left (only one delivers per
 * database) and returns the worker, not yet started. Throws when the database cannot be written.
 */
export function openDeliveryWorker(config: DeliveryConfig, log: (line: string) => void, options: { busyTimeoutMs?: number; batchSize?: number; flag?: DeliveryWriteFlag } = {}): DeliveryWorker {
  const sqlite = new Database(config.databasePath, { fileMustExist: true });
  try {
    sqlite.pragma('journal_mode = WAL');
    // The worker has a process of its own: waiting for another writer's lock holds up no reader, and a
    // delivery the receiver accepted must be recorded rather than fail on a busy database.
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    limitPageCache(sqlite);
    // Under Litestream, checkpoints are its job (see db/client.ts).
    if (config.litestream) sqlite.pragma('wal_autocheckpoint = 0');
    const store = new OutboxStore(sqlite, options.flag);
    store.releaseAll();
    return new DeliveryWorker({
      store,
      senders: createSenders(config, DELIVERY_CONCURRENCY),
      concurrency: DELIVERY_CONCURRENCY,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      onStop: () => sqlite.close(),
      log,
    });
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
