// Renders public pages on worker threads, so the thread that answers readers never runs a render:
// a cached answer is never stuck behind one. Each worker loads the built Astro handler and its own
// database connection, and renders one URL at a time (renderThrough: an anonymous GET); URLs queue
// in order. A URL already waiting in the queue is not queued again: whoever asks for it meanwhile
// (after more writes, say) gets the same render, which reads the data when it starts, so a burst
// of writes costs each page one render, not one per write. A worker that dies fails the renders it
// held and is replaced. One worker keeps renders of a page in the order they were asked for.
//
// A render someone waits for goes before renders nobody waits for yet (the refresh behind a page
// answered from memory, the next render under a stream of writes): the reader whose page has to
// be rendered waits for the render under way and the other waiting readers' renders, not for the
// whole queue. Under 10 writes a second every page of the bench's mix renders again and again, and
// a reader whose page's stale window had closed waited behind all of them: 0.25-1 s.
import { Worker } from 'node:worker_threads';
import type { Rendered } from './rendered-cache.ts';

interface Waiter {
  resolve: (rendered: Rendered) => void;
  reject: (error: Error) => void;
}

class Job {
  readonly url: string;
  readonly waiters: Waiter[] = [];
  /** The data version when a worker took the job: its render reads data at least that new. */
  version: number | undefined;
  /** A reader waits for it: it goes before the jobs nobody waits for. */
  urgent = false;
  constructor(url: string) {
    this.url = url;
  }
  resolve(rendered: Rendered): void {
    for (const w of this.waiters) w.resolve(rendered);
  }
  reject(error: Error): void {
    for (const w of this.waiters) w.reject(error);
  }
}

interface Slot {
  worker: Worker;
  job: Job | null;
  ready: Promise<void>;
}

export type RenderReply =
  | { ok: true; status: number; headers: Record<string, string | string[]>; body: Uint8Array; br?: Uint8Array | null | undefined }
  | { ok: false; message: string };

export interface RenderPoolOptions {
  /** The built server entry (dist/server/entry.mjs), loaded by each worker. */
  entry: string;
  /** Number of worker threads; one leaves the other core of a small machine to readers. */
  size?: number;
  /** Heap limits per worker, in MB (the main thread's come from SERVER_NODE_FLAGS). */
  maxOldGenerationSizeMb?: number;
  /**
   * A render allocates a few MB that die at once; a 32 MB young generation kept about 25 MB more
   * resident than 8 MB under the crawl of npm run bench:memory, for no measurable gain.
   */
  maxYoungGenerationSizeMb?: number;
  /**
   * The current data version, read as a worker takes a job. Readers who asked for a page at older
   * versions while it waited in the queue then share a render that counts as current (coalescing
   * across writes: RenderedCache keeps the newer of the two versions).
   */
  stamp?: () => number;
}

export class RenderPool {
  readonly #options: Required<Omit<RenderPoolOptions, 'stamp'>> & Pick<RenderPoolOptions, 'stamp'>;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  /** Queued jobs (not yet started) by URL. */
  readonly #queued = new Map<string, Job>();
  #closed = false;

  constructor(options: RenderPoolOptions) {
    this.#options = { size: 1, maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 8, ...options };
    for (let i = 0; i < this.#options.size; i++) this.#slots.push(this.#spawn());
  }

  /** Resolves once every worker has loaded the handler. */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.ready));
  }

  /**
   * Renders the URL (once, however many ask while it waits in the queue). `urgent`: a reader waits
   * for this render; it is queued after the other urgent ones and before the rest.
   */
  render(url: string, { urgent = false }: { urgent?: boolean } = {}): Promise<Rendered> {
    if (this.#closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise((resolve, reject) => {
      let job = this.#queued.get(url);
      if (!job) {
        job = new Job(url);
        this.#enqueue(job, urgent);
        this.#queued.set(url, job);
      } else if (urgent) this.expedite(url);
      job.waiters.push({ resolve, reject });
      this.#next();
    });
  }

  /** A reader now waits for the URL's queued render: it moves ahead of the renders nobody waits for. */
  expedite(url: string): void {
    const job = this.#queued.get(url);
    if (!job || job.urgent) return;
    this.#queue.splice(this.#queue.indexOf(job), 1);
    this.#enqueue(job, true);
  }

  #enqueue(job: Job, urgent: boolean): void {
    job.urgent = urgent;
    const firstNotUrgent = urgent ? this.#queue.findIndex((queued) => !queued.urgent) : -1;
    if (firstNotUrgent === -1) this.#queue.push(job);
    else this.#queue.splice(firstNotUrgent, 0, job);
  }

  /** Renders queued or running: how far behind the workers are. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((slot) => slot.job).length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#queued.clear();
    for (const job of this.#queue.splice(0)) job.reject(new Error('the render pool is closed'));
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./render-worker.ts', import.meta.url), {
      workerData: { entry: this.#options.entry },
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: this.#options.maxYoungGenerationSizeMb },
    });
    let loaded!: () => void;
    const slot: Slot = { worker, job: null, ready: new Promise((resolve) => (loaded = resolve)) };
    worker.on('message', (message: 'ready' | RenderReply) => {
      if (message === 'ready') {
        loaded();
        this.#next();
        return;
      }
      const job = slot.job;
      slot.job = null;
      if (job) {
        if (message.ok) {
          const { br } = message;
          job.resolve({
            status: message.status,
            headers: message.headers,
            body: Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength),
            version: job.version,
            br: br ? Buffer.from(br.buffer, br.byteOffset, br.byteLength) : br,
          });
        }
        else job.reject(new Error(message.message));
      }
      this.#next();
    });
    worker.on('error', (error) => {
      slot.job?.reject(error instanceof Error ? error : new Error(String(error)));
      slot.job = null;
    });
    worker.on('exit', () => {
      slot.job?.reject(new Error('the render worker stopped'));
      slot.job = null;
      if (this.#closed) return;
      const index = this.#slots.indexOf(slot);
      if (index >= 0) this.#slots[index] = this.#spawn();
    });
    return slot;
  }

  #next(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.job) continue;
      const job = this.#queue.shift()!;
      this.#queued.delete(job.url);
      slot.job = job;
      try {
        job.version = this.#options.stamp?.();
      } catch {
        // The version cannot be read: the render keeps the version it was asked for.
      }
      slot.worker.postMessage(job.url);
    }
  }
}
