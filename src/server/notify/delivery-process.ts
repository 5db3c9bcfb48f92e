// The delivery process (started and supervised by delivery-supervisor.ts): runs the delivery worker
// in a Node process of its own, on its own database connection, heap and garbage collector, so that
// building and sending messages never competes with the server answering readers. It loads only the
// notify code (no Astro, no drizzle) and, before loading it, lowers the CPU priority of every one of
// its threads: a nice value (10 by default) and, by default, Linux's SCHED_IDLE (sched-idle.ts), so a
// reader's request never waits behind it for a core. A worker thread could lower only itself: the
// garbage collector's helper threads and the libuv pool it shares with the server kept normal
// priority, and a fan-out still cost readers of `/` a few milliseconds of p99 (README, Notifications).
//
// Arguments: `--nice N` and `--idle`. The configuration (the SMTP password among it) comes as the
// first message on the IPC channel, never on the command line, where `ps` would show it.
// When the server goes away (the channel closes), the process records the messages in flight and
// exits: it never outlives the server that supervises it.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DeliveryConfig } from './start-worker.ts';
import type { DeliveryWorker } from './worker.ts';
import type { DeliveryWriteFlag } from '../delivery-write-flag.ts';
import { enterSchedIdle, STARVATION_WINDOW_MS, starvedOfCpu, waitedForCpuMs } from './sched-idle.ts';

export interface DeliveryProcessData {
  config: DeliveryConfig;
  pollMs: number;
  /** Stop once nothing was claimed for this long (0: run until told to stop). */
  idleExitMs: number;
  /** The descriptor of the flag raised while this process writes (delivery-write-flag.ts). */
  flagFd?: number;
}

/** Supervisor → process, first: what to run. `entry` (a module URL exporting `run`) is for tests. */
export interface DeliveryStart {
  type: 'start';
  data: DeliveryProcessData;
  entry?: string;
}

/** Process → supervisor. */
export type DeliveryMessage =
  | { type: 'log'; line: string }
  | { type: 'ready'; nice: number | null; schedIdle: boolean }
  /** Nothing to send for idleExitMs: the process ends itself, and is started again when something falls due. */
  | { type: 'idle' }
  /** Under SCHED_IDLE, waiting for a core held sending back: the process ends itself, to be started again without it. */
  | { type: 'starved'; waitedMs: number; wallMs: number; sent: number }
  /** The database cannot be written: not retried until Candor restarts. */
  | { type: 'unavailable'; reason: string }
  /** An error nothing caught: the process exits with code 1 and is started again. */
  | { type: 'failed'; reason: string };

/** What an entry is given: how to talk to the supervisor, and what the process was lowered to. */
export interface DeliveryChannel {
  post(message: DeliveryMessage): void;
  /** `stop` runs when the supervisor asks the process to stop, or goes away. */
  onStop(stop: () => void): void;
  /** Exits once every message posted so far has been handed to the supervisor. */
  exit(code: number): void;
  /** The nice value of the process's threads (null when it could not be read) and whether they run under SCHED_IDLE. */
  lowered: { nice: number | null; schedIdle: boolean };
}

export type DeliveryEntry = (data: DeliveryProcessData, channel: DeliveryChannel) => void | Promise<void>;

/** The delivery worker, with the watches for starvation and idleness. */
export const runDelivery: DeliveryEntry = async (data, channel) => {
  const { config, pollMs, idleExitMs, flagFd } = data;
  const { openDeliveryWorker } = await import('./start-worker.ts');
  const flags = await import('../delivery-write-flag.ts');
  const log = (line: string) => channel.post({ type: 'log', line });
  let flag: DeliveryWriteFlag | undefined;
  try {
    if (flagFd !== undefined) flag = new flags.DeliveryWriteFlag(flagFd);
  } catch (error) {
    // Delivery goes on; only a staff write that meets its lock may be refused.
    log(`delivering without the write flag: ${(error as Error).message}`);
  }
  let worker: DeliveryWorker;
  try {
    worker = openDeliveryWorker(config, log, { flag });
  } catch (error) {
    channel.post({ type: 'unavailable', reason: (error as Error).message });
    return channel.exit(0);
  }
  let stopping = false;
  // Stops claiming, records the messages in flight, closes the SMTP pool and the connection.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void worker.stop().finally(() => channel.exit(0));
  };
  channel.onStop(stop);
  worker.start(pollMs);
  channel.post({ type: 'ready', ...channel.lowered });
  // Under SCHED_IDLE, a machine busy for long stretches could hold the mail back indefinitely.
  if (channel.lowered.schedIdle) {
    let last = { at: performance.now(), waitedMs: waitedForCpuMs(), sent: worker.attempted };
    setInterval(() => {
      const now = { at: performance.now(), waitedMs: waitedForCpuMs(), sent: worker.attempted };
      const window = { wallMs: now.at - last.at, waitedMs: (now.waitedMs ?? 0) - (last.waitedMs ?? 0), sent: now.sent - last.sent };
      last = now;
      if (stopping || !starvedOfCpu(window)) return;
      channel.post({ type: 'starved', waitedMs: Math.round(window.waitedMs), wallMs: Math.round(window.wallMs), sent: window.sent });
      stop();
    }, STARVATION_WINDOW_MS);
  }
  if (idleExitMs > 0) {
    setInterval(() => {
      if (stopping || Date.now() - worker.lastWorkAt < idleExitMs) return;
      channel.post({ type: 'idle' });
      stop();
    }, Math.min(idleExitMs, 1000));
  }
};

/**
 * Gives every thread of this process the nice value (Linux: a nice value belongs to a thread, and
 * threads started later inherit it from the one that starts them). Returns the main thread's value,
 * or null when it could not be set or read (some containers).
 */
function lowerNice(nice: number): number | null {
  try {
    if (nice !== 0) {
      if (process.platform === 'linux') for (const tid of fs.readdirSync('/proc/self/task')) os.setPriority(Number(tid), nice);
      else os.setPriority(nice);
    }
    return os.getPriority();
  } catch {
    return null;
  }
}

/** Runs when this file is the process's entry (the supervisor forks it); importing it runs nothing. */
function main(): void {
  process.title = 'candor-delivery';
  const { values } = parseArgs({ options: { nice: { type: 'string', default: '0' }, idle: { type: 'boolean', default: false } } });
  const lowered = { nice: lowerNice(Number(values.nice)), schedIdle: values.idle && enterSchedIdle() };

  // Each message is handed over before the process exits.
  let sent: Promise<void> = Promise.resolve();
  let stop: () => void = () => channel.exit(0);
  const channel: DeliveryChannel = {
    post(message) {
      if (!process.connected) return;
      const handed = new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));
      sent = sent.then(() => handed);
    },
    onStop(handler) {
      stop = handler;
    },
    exit(code) {
      void sent.finally(() => process.exit(code));
    },
    lowered,
  };
  const fail = (error: unknown) => {
    channel.post({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
    channel.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.on('disconnect', () => stop());
  // Ctrl-C in a terminal signals the whole process group: the server stops this process itself,
  // after the requests in flight, and the messages in flight are recorded then.
  process.on('SIGINT', () => undefined);
  // Anyone else's SIGTERM: stop as asked (the supervisor starts another, as after any exit).
  process.on('SIGTERM', () => stop());
  process.on('message', (message: DeliveryStart | 'stop') => {
    if (message === 'stop') return stop();
    if (message.type !== 'start') return;
    const entry: Promise<DeliveryEntry> = message.entry ? import(message.entry).then((module: { run: DeliveryEntry }) => module.run) : Promise.resolve(runDelivery);
    entry.then((run) => run(message.data, channel)).catch(fail);
  });
}

if (import.meta.main) main();
