// A process that does only what the server's delivery thread does (openDeliveryWorker: its own
// connection, the leases a dead worker left released), sends everything due and exits. The crash
// test kills it with SIGKILL. Environment: CANDOR_DB, CANDOR_SMTP_URL.
import { openDeliveryWorker } from '../../src/server/notify/start-worker.ts';

const worker = openDeliveryWorker(
  { databasePath: process.env.CANDOR_DB!, smtpUrl: process.env.CANDOR_SMTP_URL!, mailFrom: 'status@example.test', webhookAllowPrivate: true, litestream: false, purge: null },
  () => undefined,
  { batchSize: 50 },
);
console.log('started');
const summary = await worker.runDue();
await worker.stop();
console.log(JSON.stringify(summary));
