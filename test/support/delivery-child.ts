// A process that does only what the server's delivery worker does: open the database, release
// leases left by a dead process, send everything due, exit. The crash test kills it with SIGKILL.
// Environment: CANDOR_DB, CANDOR_SMTP_URL.
import Database from 'better-sqlite3';
import { OutboxStore } from '../../src/server/notify/outbox.ts';
import { createSenders } from '../../src/server/notify/senders/index.ts';
import { DeliveryWorker } from '../../src/server/notify/worker.ts';

const sqlite = new Database(process.env.CANDOR_DB!, { fileMustExist: true });
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('synchronous = NORMAL');
const store = new OutboxStore(sqlite);
store.releaseAll();
const worker = new DeliveryWorker({
  store,
  senders: createSenders({ smtpUrl: process.env.CANDOR_SMTP_URL!, mailFrom: 'status@example.test', webhookAllowPrivate: true }, 8),
  concurrency: 8,
  batchSize: 50,
  log: () => undefined,
});
console.log('started');
const summary = await worker.runDue();
await worker.stop();
console.log(JSON.stringify(summary));
