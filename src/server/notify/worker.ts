// The delivery worker: sends what the outbox holds, off the request path, a few at a time, and
// records every attempt. A delivery is done only once the receiver accepted it; failures are
// retried with exponential backoff and jitter for 24 hours after the delivery fell due.
import { OutboxStore, type DeliveryJob } from './outbox.ts';

/** A sender for one kind of delivery. Resolves with the receiver's answer once it accepted the message. */
export interface Sender {
  send(job: DeliveryJob, now: number): Promise<string>;
  close?(): Promise<void> | void;
}

/** A refusal worth saying more about: never retried (`permanent`), or retried no sooner than `retryAfterMs`. */
export class DeliveryFailure extends Error {
  readonly permanent: boolean;
  readonly retryAfterMs: number | null;
  constructor(message: string, options: { permanent?: boolean; retryAfterMs?: number | null } = {}) {
    super(message);
    this.name = 'DeliveryFailure';
    this.permanent = options.permanent ?? false;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60 * 1000;

/**
 * When to try again after the n-th failed attempt: 30 s doubling up to an hour, each wait drawn
 * between half and all of that ("equal jitter"), so receivers that failed together do not get
 * retried together. Null once the next try would fall past 24 hours after the delivery was due.
 */
export function nextAttemptAt(attempt: number, failedAt: number, dueAt: number, random: () => number, retryAfterMs: number | null = null): number | null {
  const ceiling = Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  const wait = Math.max(retryAfterMs ?? 0, Math.round(ceiling / 2 + random() * (ceiling / 2)));
  const next = failedAt + wait;
  return next > dueAt + RETRY_WINDOW_MS ? null : next;
}

export interface WorkerOptions {
  store: OutboxStore;
  senders: Partial<Record<string, Sender>>;
  clock?: () => number;
  random?: () => number;
  /** Messages in flight at once (and SMTP connections in the pool). */
  concurrency?: number;
  /** How many deliveries one claim leases. */
  batchSize?: number;
  /** How long a claim holds a row: longer than any one send (webhooks time out after 10 s). */
  leaseMs?: number;
  log?: (line: string) => void;
  /** Runs after stop() has closed the senders (e.g. closes the worker's database connection). */
  onStop?: () => void;
}

export interface RunSummary {
  delivered: number;
  retried: number;
  failed: number;
}

export class DeliveryWorker {
  readonly #o: Required<Omit<WorkerOptions, 'senders'>> & { senders: Partial<Record<string, Sender>> };
  readonly #kinds: string[];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RunSummary> | undefined;
  #stopped = false;
  #pollMs = 1000;
  #lastWorkAt: number;
  #working = false;
  #attempted = 0;

  constructor(options: WorkerOptions) {
    this.#o = {
      clock: Date.now,
      random: Math.random,
      concurrency: 8,
      batchSize: 200,
      leaseMs: 5 * 60 * 1000,
      log: (line) => console.log(line),
      onStop: () => undefined,
      ...options,
    };
    this.#kinds = Object.keys(options.senders).filter((k) => options.senders[k] !== undefined);
    this.#lastWorkAt = this.#o.clock();
  }

  /** When the worker last had something to send (now while it sends; else when made): how long it has been idle. */
  get lastWorkAt(): number {
    return this.#working ? this.#o.clock() : this.#lastWorkAt;
  }

  /** Messages tried so far (sent or failed): how fast it sends. */
  get attempted(): number {
    return this.#attempted;
  }

  /** The kinds this worker can send; rows of other kinds wait for a worker that can. */
  get kinds(): readonly string[] {
    return this.#kinds;
  }

  /** Sends everything due now (batch after batch) and says what happened. Tests drive the worker with this. */
  async runDue(): Promise<RunSummary> {
    const summary: RunSummary = { delivered: 0, retried: 0, failed: 0 };
    if (this.#kinds.length === 0) return summary;
    for (;;) {
      if (this.#stopped) return summary;
      const now = this.#o.clock();
      const jobs = this.#o.store.claim(this.#kinds, now, now + this.#o.leaseMs, this.#o.batchSize);
      if (jobs.length === 0) return summary;
      this.#working = true;
      let next = 0;
      const lane = async () => {
        while (next < jobs.length && !this.#stopped) {
          const job = jobs[next++]!;
          const outcome = await this.#deliver(job);
          summary[outcome]++;
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(this.#o.concurrency, jobs.length) }, lane));
      } finally {
        this.#working = false;
        this.#lastWorkAt = this.#o.clock();
      }
      // Stopping: what was claimed but not begun goes back at once rather than after the lease.
      if (next < jobs.length) this.#o.store.release(jobs.slice(next).map((j) => j.id));
    }
  }

  async #deliver(job: DeliveryJob): Promise<keyof RunSummary> {
    const sender = this.#o.senders[job.kind]!;
    this.#attempted++;
    const started = this.#o.clock();
    const t0 = performance.now();
    try {
      const answer = await sender.send(job, started);
      this.#o.store.recordDelivered(job.id, this.#o.clock(), answer.slice(0, 500), Math.round(performance.now() - t0));
      return 'delivered';
    } catch (error) {
      const failure = error instanceof DeliveryFailure ? error : null;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const at = this.#o.clock();
      const next = failure?.permanent ? null : nextAttemptAt(job.attempts + 1, at, job.dueAt, this.#o.random, failure?.retryAfterMs);
      this.#o.store.recordFailure(job.id, at, message, Math.round(performance.now() - t0), next);
      return next === null ? 'failed' : 'retried';
    }
  }

  /** Runs due deliveries now and whenever the poll comes round; `wake` shortens the wait after a write. */
  start(pollMs = 1000): void {
    this.#pollMs = pollMs;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Ask for a run soon (a command just queued something). */
  wake(): void {
    if (!this.#stopped && !this.#running) this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#running) return;
    this.#running = this.runDue();
    try {
      await this.#running;
    } catch (error) {
      this.#o.log(`Notification delivery stopped on an error and will try again: ${(error as Error).message}`);
    } finally {
      this.#running = undefined;
    }
    if (!this.#stopped) this.#schedule(this.#pollMs);
  }

  /** Stops claiming, waits for messages in flight to be recorded, closes the senders. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
    for (const sender of new Set(Object.values(this.#o.senders))) await sender?.close?.();
    this.#o.onStop();
  }
}
