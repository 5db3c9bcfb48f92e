// The delivery process's place in the Linux scheduler. Under SCHED_IDLE a thread runs only when a core
// has nothing else to run, and a waking thread of any other policy (the server's main thread with a
// reader's request) takes the core from it at once, where a nice value only shares the core out in
// proportions. The price: on a machine busy for long stretches such a process barely runs. So the
// process watches how long its main thread waited for a core (the kernel counts it per thread in
// schedstat) and, when that held its sending back, asks to be started again at its nice value alone:
// a process can move itself into SCHED_IDLE but, without privileges, never out of it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Moves every thread of the calling process to SCHED_IDLE with util-linux's chrt (threads started
 * later inherit it from the thread that starts them). True when the calling thread now runs under
 * it; false without Linux, /proc or chrt (the nice value still applies).
 */
export function enterSchedIdle(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 5000 });
    return threadPolicy() === SCHED_IDLE;
  } catch {
    return false;
  }
}

export const SCHED_IDLE = 5;

/** Fields of a /proc/…/stat line numbered as proc(5) numbers them (the command name may hold spaces). */
export const STAT_FIELD = { utime: 14, stime: 15, cutime: 16, cstime: 17, nice: 19, policy: 41 } as const;

/** One field of a /proc/…/stat line as written, by its proc(5) number (state is 3: R, S, Z…). */
export function statText(stat: string, field: number): string {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[field - 3] ?? '';
}

/** One numeric field of a /proc/…/stat line, by its proc(5) number. */
export function statField(stat: string, field: number): number {
  return Number(statText(stat, field));
}

/** The calling thread's scheduling policy (0 normal, 5 idle). */
export function threadPolicy(): number {
  return statField(fs.readFileSync('/proc/thread-self/stat', 'utf8'), STAT_FIELD.policy);
}

/** Milliseconds the calling thread has spent runnable but waiting for a core; null when not known. */
export function waitedForCpuMs(): number | null {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return null;
  }
}

/** How often the process looks, and its thresholds. */
export const STARVATION_WINDOW_MS = 5000;
/** Starved: waited for a core more than this share of the window… */
export const STARVED_WAIT_SHARE = 0.5;
/** …and sent fewer messages a second than this (a 10,000 fan-out would take over 3 minutes). */
export const STARVED_BELOW_PER_SECOND = 50;

/**
 * Whether the waits for a core held sending back over a window: the process had work (it waited to
 * run) most of the time and sent slowly. A slow receiver alone is not starvation: the process then
 * waits for the network, not for a core.
 */
export function starvedOfCpu(window: { wallMs: number; waitedMs: number; sent: number }): boolean {
  return window.waitedMs > window.wallMs * STARVED_WAIT_SHARE && window.sent < (window.wallMs / 1000) * STARVED_BELOW_PER_SECOND;
}
