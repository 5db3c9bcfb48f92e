// A delivery thread that, when started under SCHED_IDLE, reports at once that it was starved of CPU
// and ends itself (as delivery-thread.ts does after a window of waiting for a core); started without
// it, it says so and stays until told to stop. The supervisor must start it again without SCHED_IDLE.
import { parentPort, workerData } from 'node:worker_threads';
import type { DeliveryThreadData, DeliveryThreadMessage } from '../../src/server/notify/delivery-thread.ts';

const { schedIdle } = workerData as DeliveryThreadData;
const post = (message: DeliveryThreadMessage) => parentPort!.postMessage(message);
post({ type: 'log', line: `started with schedIdle ${schedIdle}` });
post({ type: 'ready', nice: null, schedIdle });
if (schedIdle) {
  post({ type: 'starved', waitedMs: 4000, wallMs: 5000, sent: 12 });
  process.exit(0);
}
parentPort!.on('message', (message: 'stop') => {
  if (message === 'stop') process.exit(0);
});
