// The delivery thread writes to the same database as the server (its outbox records), from a thread
// of lower CPU priority. The operating system can switch that thread out while it holds SQLite's
// write lock, and the server's own writes wait only 10 ms for a lock (a lock held by another program
// must not freeze readers), so a staff post during a fan-out could be refused for a lock that our
// own process holds for microseconds of work.
//
// This flag, shared between the two threads, says when the delivery thread is writing. A server
// write that found the database locked while the flag was up (or went up and down during its
// attempt) waits for it to come down, which hands the core to the delivery thread so it finishes,
// and tries again. A lock held by another program leaves the flag down: that write is refused at
// once, as before.
const HELD = 0;
const RELEASES = 1;

export class InProcessWriter {
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.buffer = buffer;
    this.#cells = new Int32Array(buffer);
  }

  /** Runs a write of the delivery thread with the flag up. */
  hold<T>(write: () => T): T {
    Atomics.store(this.#cells, HELD, 1);
    try {
      return write();
    } finally {
      this.release();
    }
  }

  /** Takes the flag down (also when the thread that held it died mid-write). */
  release(): void {
    Atomics.add(this.#cells, RELEASES, 1);
    Atomics.store(this.#cells, HELD, 0);
    Atomics.notify(this.#cells, HELD);
  }

  /** A mark to compare with after an attempt: whether a write of the thread ended meanwhile. */
  releases(): number {
    return Atomics.load(this.#cells, RELEASES);
  }

  held(): boolean {
    return Atomics.load(this.#cells, HELD) === 1;
  }

  /** Sleeps until the flag is down, at most `ms`; true when it is down. */
  waitReleased(ms: number): boolean {
    return Atomics.wait(this.#cells, HELD, 1, ms) !== 'timed-out';
  }
}

/** How long a server write may wait in all for the delivery thread's writes. */
export const IN_PROCESS_WAIT_MS = 100;

// On globalThis: scripts/serve.ts registers it from the source modules, and the writes run in the
// built Astro handler's own copy of them (see ops/observer.ts).
const KEY = Symbol.for('candor.inProcessWriter');
type Registered = { writer: InProcessWriter; waitMs: number };
type Holder = typeof globalThis & { [KEY]?: Registered | null };

/** The server registers the delivery thread's flag (null when it has none); `waitMs` for tests. */
export function setInProcessWriter(writer: InProcessWriter | null, waitMs = IN_PROCESS_WAIT_MS): void {
  (globalThis as Holder)[KEY] = writer ? { writer, waitMs } : null;
}

/**
 * Runs a write; when it meets the lock (`isLocked(error)`) while the delivery thread was writing,
 * waits for that write to end and tries again, within IN_PROCESS_WAIT_MS in all.
 */
export function retryPastInProcessWriter<T>(write: () => T, isLocked: (error: unknown) => boolean): T {
  const registered = (globalThis as Holder)[KEY] ?? null;
  if (!registered) return write();
  const { writer, waitMs } = registered;
  const clock = () => performance.now();
  const deadline = clock() + waitMs;
  for (;;) {
    const before = writer.releases();
    try {
      return write();
    } catch (error) {
      if (!isLocked(error)) throw error;
      const ours = writer.held() || writer.releases() !== before;
      const left = deadline - clock();
      if (!ours || left <= 0) throw error;
      if (!writer.waitReleased(left)) throw error;
    }
  }
}
