// The delivery process (notify/delivery-process.ts) writes to the same database as the server (its
// outbox records), at a lower CPU priority. The operating system can switch it out while it holds
// SQLite's write lock, and the server's own writes wait only 10 ms for a lock (a lock held by another
// program must not freeze readers), so a staff post during a fan-out could be refused for a lock
// that our own delivery holds for microseconds of work.
//
// This flag says when the delivery process is writing. It is 8 bytes of a small file that both
// processes open: the delivery process raises it before each write transaction and lowers it after
// (two writes to the page cache, a few microseconds), and the server reads it only when a write met
// the lock. A server write that found the database locked while the flag was up (or went up and down
// during its attempt) waits for it to come down, which leaves the core to the delivery process so it
// finishes, and tries again. A lock held by another program leaves the flag down: that write is
// refused at once, as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bytes 0-3: 1 while a write is under way; bytes 4-7: how many writes have ended (little-endian). */
const SIZE = 8;

export class DeliveryWriteFlag {
  /** The flag's file: the supervisor creates it and passes its path to the delivery process. */
  readonly file: string;
  readonly #fd: number;
  readonly #cells = Buffer.alloc(SIZE);
  /** The directory this flag created (removed by close()); null when it opened an existing file. */
  readonly #dir: string | null;
  #closed = false;

  /** Opens the flag at `file`, or creates one in a directory of its own under the system's temporary directory. */
  constructor(file?: string) {
    if (file) {
      this.#dir = null;
      this.file = file;
      this.#fd = fs.openSync(file, 'r+');
    } else {
      this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-delivery-'));
      this.file = path.join(this.#dir, 'writing');
      this.#fd = fs.openSync(this.file, 'w+', 0o600);
      fs.writeSync(this.#fd, Buffer.alloc(SIZE), 0, SIZE, 0);
    }
  }

  /** Runs a write of the delivery process with the flag up. */
  hold<T>(write: () => T): T {
    this.#write(1, this.releases());
    try {
      return write();
    } finally {
      this.release();
    }
  }

  /** Takes the flag down (also when the process that held it died mid-write). */
  release(): void {
    this.#write(0, this.releases() + 1);
  }

  /** A mark to compare with after an attempt: whether a write of the delivery process ended meanwhile. */
  releases(): number {
    return this.#read().readInt32LE(4);
  }

  held(): boolean {
    return this.#read().readInt32LE(0) === 1;
  }

  /** Sleeps until the flag is down, at most `ms`, looking every millisecond; true when it is down. */
  waitReleased(ms: number): boolean {
    const deadline = performance.now() + ms;
    for (;;) {
      if (!this.held()) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(PAUSE, 0, 0, Math.min(1, left));
    }
  }

  /** Closes the file, and removes it when this flag created it. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    fs.closeSync(this.#fd);
    if (this.#dir) fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  /** The cells; once closed (the server stopping), down with no writes. */
  #read(): Buffer {
    if (this.#closed) this.#cells.fill(0);
    else fs.readSync(this.#fd, this.#cells, 0, SIZE, 0);
    return this.#cells;
  }

  #write(held: 0 | 1, releases: number): void {
    const cells = Buffer.alloc(SIZE);
    cells.writeInt32LE(held, 0);
    cells.writeInt32LE(releases | 0, 4);
    fs.writeSync(this.#fd, cells, 0, SIZE, 0);
  }
}

/** A cell nobody notifies: Atomics.wait on it is a synchronous sleep. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** How long a server write may wait in all for the delivery process's writes. */
export const DELIVERY_WAIT_MS = 100;

// On globalThis: scripts/serve.ts registers it from the source modules, and the writes run in the
// built Astro handler's own copy of them (see ops/observer.ts).
const KEY = Symbol.for('candor.deliveryWriteFlag');
type Registered = { flag: DeliveryWriteFlag; waitMs: number };
type Holder = typeof globalThis & { [KEY]?: Registered | null };

/** The server registers the delivery process's flag (null when it has none); `waitMs` for tests. */
export function setDeliveryWriteFlag(flag: DeliveryWriteFlag | null, waitMs = DELIVERY_WAIT_MS): void {
  (globalThis as Holder)[KEY] = flag ? { flag, waitMs } : null;
}

/**
 * Runs a write; when it meets the lock (`isLocked(error)`) while the delivery process was writing,
 * waits for that write to end and tries again, within DELIVERY_WAIT_MS in all.
 */
export function retryPastDeliveryWrites<T>(write: () => T, isLocked: (error: unknown) => boolean): T {
  const registered = (globalThis as Holder)[KEY] ?? null;
  if (!registered) return write();
  const { flag, waitMs } = registered;
  const clock = () => performance.now();
  const deadline = clock() + waitMs;
  for (;;) {
    const before = flag.releases();
    try {
      return write();
    } catch (error) {
      if (!isLocked(error)) throw error;
      const ours = flag.held() || flag.releases() !== before;
      const left = deadline - clock();
      if (!ours || left <= 0) throw error;
      if (!flag.waitReleased(left)) throw error;
    }
  }
}
