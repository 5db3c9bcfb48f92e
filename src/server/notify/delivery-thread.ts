// The delivery thread (started and supervised by delivery-supervisor.ts): runs the delivery worker on
// its own thread and database connection, so building and sending messages never competes with the
// main thread answering readers. It loads only the notify code (no Astro, no drizzle) and lowers its
// own CPU priority: on Linux a nice value belongs to a thread, so readers go first when cores are busy,
// and by default it also moves itself to SCHED_IDLE (sched-idle.ts), so a reader's request never
// waits behind it for a core.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDeliveryWorker, type DeliveryConfig } from './start-worker.ts';
import { InProcessWriter } from '../in-process-writer.ts';
import { enterSchedIdle, STARVATION_WINDOW_MS, starvedOfCpu, waitedForCpuMs } from './sched-idle.ts';

export interface DeliveryThreadData {
  config: DeliveryConfig;
  pollMs: number;
  /** The nice value for this thread (0 leaves it as it is). */
  nice: number;
  /** Run under Linux's SCHED_IDLE policy: only on CPU time no other thread of the machine wants. */
  schedIdle: boolean;
  /** Stop once nothing was claimed for this long (0: run until told to stop). */
  idleExitMs: number;
  /** The flag raised while this thread writes (in-process-writer.ts). */
  writer?: SharedArrayBuffer;
}

/** Thread → supervisor. */
export type DeliveryThreadMessage =
  | { type: 'log'; line: string }
  | { type: 'ready'; nice: number | null; schedIdle: boolean }
  /** Nothing to send for idleExitMs: the thread ends itself, and is started again when something falls due. */
  | { type: 'idle' }
  /** Under SCHED_IDLE, waiting for a core held sending back: the thread ends itself, to be started again without it. */
  | { type: 'starved'; waitedMs: number; wallMs: number; sent: number }
  /** The database cannot be written: not retried until Candor restarts. */
  | { type: 'unavailable'; reason: string };

const port = parentPort!;
const { config, pollMs, nice, schedIdle, idleExitMs, writer } = workerData as DeliveryThreadData;
const post = (message: DeliveryThreadMessage) => port.postMessage(message);

let niced: number | null = null;
try {
  if (nice !== 0) os.setPriority(0, nice);
  niced = os.getPriority(0);
} catch {
  // Not allowed here (some containers): delivery runs at the server's priority.
}
const idle = schedIdle && enterSchedIdle();

let worker: ReturnType<typeof openDeliveryWorker> | null = null;
try {
  worker = openDeliveryWorker(config, (line) => post({ type: 'log', line }), { writer: writer ? new InProcessWriter(writer) : undefined });
} catch (error) {
  post({ type: 'unavailable', reason: (error as Error).message });
  port.close();
}
if (worker) {
  const running = worker;
  let stopping = false;
  // Stops claiming, records the messages in flight, closes the SMTP pool and the connection.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void running.stop().finally(() => process.exit(0));
  };
  port.on('message', (message: 'stop') => {
    if (message === 'stop') stop();
  });
  running.start(pollMs);
  post({ type: 'ready', nice: niced, schedIdle: idle });
  // Under SCHED_IDLE, a machine busy for long stretches could hold the mail back indefinitely.
  if (idle) {
    let last = { at: performance.now(), waitedMs: waitedForCpuMs(), sent: running.attempted };
    setInterval(() => {
      const now = { at: performance.now(), waitedMs: waitedForCpuMs(), sent: running.attempted };
      const window = { wallMs: now.at - last.at, waitedMs: (now.waitedMs ?? 0) - (last.waitedMs ?? 0), sent: now.sent - last.sent };
      last = now;
      if (stopping || !starvedOfCpu(window)) return;
      post({ type: 'starved', waitedMs: Math.round(window.waitedMs), wallMs: Math.round(window.wallMs), sent: window.sent });
      stop();
    }, STARVATION_WINDOW_MS);
  }
  if (idleExitMs > 0) {
    setInterval(() => {
      if (stopping || Date.now() - running.lastWorkAt < idleExitMs) return;
      post({ type: 'idle' });
      stop();
    }, Math.min(idleExitMs, 1000));
  }
}
