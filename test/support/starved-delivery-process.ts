// A delivery process that, when it runs under SCHED_IDLE, reports at once that it was starved of CPU
// and ends itself (as delivery-process.ts does after a window of waiting for a core); started without
// it, it says so and stays until told to stop. The supervisor must start it again without SCHED_IDLE.
import type { DeliveryEntry } from '../../src/server/notify/delivery-process.ts';

export const run: DeliveryEntry = (_data, channel) => {
  const { schedIdle } = channel.lowered;
  channel.post({ type: 'log', line: `started with schedIdle ${schedIdle}` });
  channel.post({ type: 'ready', nice: null, schedIdle });
  if (schedIdle) {
    channel.post({ type: 'starved', waitedMs: 4000, wallMs: 5000, sent: 12 });
    return channel.exit(0);
  }
  channel.onStop(() => channel.exit(0));
};
