// Runs the delivery worker in a process of its own (delivery-process.ts) and keeps it running: a
// process that dies (an uncaught error, its heap limit, a kill) is logged and started again after a
// wait that doubles with each death in a row, from half a second up to 30 s. On stop, the process
// stops claiming, records the messages in flight and closes its connection before the returned
// promise resolves.
import { fork, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeliveryConfig } from './start-worker.ts';
import { DeliveryWriteFlag } from '../delivery-write-flag.ts';
import type { DeliveryMessage, DeliveryStart } from './delivery-process.ts';

/** Lines the supervisor writes: the server passes its pino logger. */
export interface DeliveryLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface DeliverySupervisorOptions {
  config: DeliveryConfig;
  log: DeliveryLog;
  /** How often the process looks for due deliveries when nothing wakes it. */
  pollMs?: number;
  /** The nice value of the process's threads; 10 lets readers go first. */
  nice?: number;
  /** Run the process under SCHED_IDLE (Linux; delivery-process.ts). */
  schedIdle?: boolean;
  /** A module the process runs instead of the delivery worker (tests run ones that fail on purpose). */
  entry?: URL;
  /** The Node binary to start it with (tests name one that does not exist). */
  execPath?: string;
  /**
   * Whether a delivery is due (a cheap query on the main thread's connection). With it, the process
   * runs only while there is something to send: it is started when something falls due and ends
   * itself after idleExitMs with nothing to claim, so a quiet server carries no delivery process.
   * Without it, the process runs from the start until stop().
   */
  due?: () => boolean;
  /** How long an on-demand process stays with nothing to send (default one minute). */
  idleExitMs?: number;
  /** Waits before restarts, by deaths in a row. */
  restartDelayMs?: (deathsInARow: number) => number;
  clock?: () => number;
}

/** The log line when delivery cannot run (a damaged or unwritable database). */
export const DELIVERY_NOT_RUNNING = 'notification delivery is not running: the database cannot be written; restart Candor once it can';

/** The log line when a process under SCHED_IDLE waited too long for a core (sched-idle.ts). */
export const STARVED_UNDER_SCHED_IDLE = 'notification delivery waited for the CPU under SCHED_IDLE; carrying on at the nice value alone';

/** Half a second doubling up to 30 s. */
export function restartDelayMs(deathsInARow: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, deathsInARow - 1));
}

/** A process that ran this long before dying starts the count of deaths in a row again. */
const HEALTHY_RUN_MS = 60_000;
/** Each send times out after 10 s; past this the process is killed without waiting further. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * The delivery process's Node flags. Its heap: one claimed batch (200 jobs) and the messages in
 * flight. In a fan-out to 10,000 it peaked at 23 MB used under these limits (27 MB allocated, 28 s)
 * as a worker thread; with 48 MB it let 32 MB accumulate before collecting; with 16 MB it took 79 s
 * (one run on a loaded machine, so partly noise, but it worked near its limit).
 * Its garbage collector works on its main thread only: V8's helper threads collected in parallel on
 * the other core, and that memory traffic, not the CPU time (SCHED_IDLE gives that up at once), is
 * what still cost readers of `/` p99 during a fan-out. Alternating runs of `BENCH_SINK_IDLE=true
 * BENCH_READERS=fixed npm run bench:fanout`: +0.5 and +0.6 ms above the better idle reading with it,
 * +1.3 and +2.0 ms without, at the same 850-890 messages a second (README, Notifications).
 */
const NODE_FLAGS = ['--max-old-space-size=32', '--max-semi-space-size=2', '--single-threaded-gc'];
const ENTRY = fileURLToPath(new URL('./delivery-process.ts', import.meta.url));

/** The server's environment without Candor's settings (secrets among them) and NODE_OPTIONS. */
function childEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CANDOR_') && name !== 'NODE_OPTIONS'));
}

export class DeliverySupervisor {
  readonly #o: Required<Omit<DeliverySupervisorOptions, 'entry' | 'due'>> & Pick<DeliverySupervisorOptions, 'entry' | 'due'>;
  #child: ChildProcess | null = null;
  #restartTimer: NodeJS.Timeout | undefined;
  #deaths = 0;
  #stopping: Promise<void> | null = null;
  /** The database cannot be written: nothing more is started. */
  #unavailable = false;
  #watch: NodeJS.Timeout | undefined;
  #ready: Promise<number | null>;
  #onReady!: (nice: number | null) => void;
  /** Processes started so far (1 plus the restarts). */
  starts = 0;
  /**
   * Up while the process writes: the server's own writes wait for it rather than being refused
   * (delivery-write-flag.ts). Null when its file could not be made (no writable temporary directory).
   */
  readonly flag: DeliveryWriteFlag | null;

  constructor(options: DeliverySupervisorOptions) {
    this.#o = {
      pollMs: 500,
      nice: 10,
      schedIdle: false,
      restartDelayMs,
      idleExitMs: 60_000,
      execPath: process.execPath,
      clock: () => performance.now(),
      ...options,
    };
    this.#ready = new Promise((resolve) => (this.#onReady = resolve));
    let flag: DeliveryWriteFlag | null = null;
    try {
      flag = new DeliveryWriteFlag();
    } catch (error) {
      this.#o.log.warn({ err: (error as Error).message }, 'staff writes during a fan-out may be refused as locked: the delivery write flag could not be made in the temporary directory');
    }
    this.flag = flag;
    if (!options.config.smtpUrl) this.#o.log.info({}, 'Email notifications are off: set CANDOR_SMTP_URL (and CANDOR_MAIL_FROM) to let people subscribe by email.');
    if (this.#o.due) {
      this.#watch = setInterval(() => this.#startIfDue(), this.#o.pollMs);
      this.#watch.unref();
      this.#startIfDue();
    } else this.#start();
  }

  #startIfDue(): void {
    if (this.#child || this.#stopping || this.#unavailable || this.#restartTimer) return;
    let due = false;
    try {
      due = this.#o.due!();
    } catch {
      // The database cannot be read just now: the next look may succeed.
    }
    if (due) this.#start();
  }

  /** Resolves with the process's nice value (null when it could not be read) once it delivers. */
  ready(): Promise<number | null> {
    return this.#ready;
  }

  /** The running process, if any (tests kill it to check the restart). */
  get child(): ChildProcess | null {
    return this.#child;
  }

  #start(schedIdle = this.#o.schedIdle): void {
    if (this.#stopping) return;
    this.starts++;
    const startedAt = this.#o.clock();
    let idle = false;
    let starved = false;
    let failure: string | null = null;
    // Once per process, whichever of its events come (a failed start can bring 'error' twice and 'close').
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      // There is one process at a time: the next is started only from here, after this line.
      this.#child = null;
      // Ended in the middle of a write: SQLite let go of its lock with the connection.
      if (this.flag?.held()) this.flag.lower();
      if (this.#stopping || this.#unavailable || idle) return;
      // Until this process runs out of work, delivery goes on at the nice value alone.
      if (starved && code === 0) return this.#start(false);
      this.#deaths = this.#o.clock() - startedAt >= HEALTHY_RUN_MS ? 1 : this.#deaths + 1;
      const delayMs = this.#o.restartDelayMs(this.#deaths);
      this.#o.log.warn({ code, signal, err: failure, deathsInARow: this.#deaths, restartInMs: delayMs }, 'the notification delivery process stopped unexpectedly; starting it again');
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = undefined;
        this.#start();
      }, delayMs);
      this.#restartTimer.unref();
    };
    const args = ['--nice', String(this.#o.nice), ...(schedIdle ? ['--idle'] : [])];
    // The flag as descriptor 4 of the process (delivery-write-flag.ts).
    const stdio: StdioOptions = ['ignore', 'inherit', 'inherit', 'ipc', ...(this.flag ? [this.flag.fd] : [])];
    let child: ChildProcess;
    try {
      // Only the heap limits as Node flags (not the server's, nor a test runner's NODE_OPTIONS), and
      // none of Candor's settings in its environment: what it needs comes over the channel.
      child = fork(ENTRY, args, { execPath: this.#o.execPath, execArgv: NODE_FLAGS, env: childEnvironment(), serialization: 'advanced', stdio });
    } catch (error) {
      failure = this.#redact((error as Error).message);
      return end(null, null);
    }
    this.#child = child;
    // It could not be started (no process: then 'close' may or may not follow), or a message could not be sent to it.
    child.on('error', (error) => {
      failure ??= this.#redact(error.message);
      if (child.pid === undefined) end(null, null);
    });
    // 'close' rather than 'exit': after the messages it sent before exiting have all been read.
    child.on('close', (code, signal) => end(code, signal));
    child.on('message', (message: DeliveryMessage) => {
      if (message.type === 'log') this.#o.log.info({}, this.#redact(message.line));
      else if (message.type === 'ready') this.#onReady(message.nice);
      else if (message.type === 'idle') idle = true;
      else if (message.type === 'starved') {
        starved = true;
        const { waitedMs, wallMs, sent } = message;
        this.#o.log.info({ waitedMs, wallMs, sent, nice: this.#o.nice }, STARVED_UNDER_SCHED_IDLE);
      } else if (message.type === 'failed') failure = this.#redact(message.reason);
      else {
        this.#unavailable = true;
        this.#o.log.warn({ err: this.#redact(message.reason) }, DELIVERY_NOT_RUNNING);
      }
    });
    // The configuration goes over the channel: the command line is visible to every user of the machine.
    const start: DeliveryStart = {
      type: 'start',
      data: { config: this.#o.config, pollMs: this.#o.pollMs, idleExitMs: this.#o.due ? this.#o.idleExitMs : 0, ...(this.flag ? { flagFd: 4 } : {}) },
      ...(this.#o.entry ? { entry: this.#o.entry.href } : {}),
    };
    try {
      // Without a channel (the system ran out of descriptors as it started), `send` is missing.
      if (typeof child.send !== 'function') throw new Error('the delivery process has no channel to the server');
      child.send(start);
    } catch (error) {
      failure ??= this.#redact((error as Error).message);
      if (child.pid === undefined) end(null, null);
      else child.kill('SIGKILL');
    }
  }

  /** Never logs a secret from the configuration (the SMTP password, the purge authorization). */
  #redact(text: string): string {
    const { smtpUrl, purge } = this.#o.config;
    const secrets = [purge?.authorization];
    if (smtpUrl) {
      try {
        const { password } = new URL(smtpUrl);
        secrets.push(password);
        secrets.push(decodeURIComponent(password));
      } catch {
        // config.ts refused anything that is not a URL; a password that is not valid %-encoding is masked as written
      }
    }
    // Empty ones left out: splitting on '' would take the text apart.
    return secrets.filter((secret): secret is string => !!secret).reduce((out, secret) => out.split(secret).join('***'), text);
  }

  /** Stops the process: no new claims, messages in flight recorded, connection closed. No restarts after this. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearTimeout(this.#restartTimer);
      clearInterval(this.#watch);
      const child = this.#child;
      if (child) {
        const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
        if (child.connected) child.send('stop');
        const overdue = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(overdue);
      }
      this.flag?.close();
    })();
    return this.#stopping;
  }
}
