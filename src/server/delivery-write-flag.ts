// The delivery process (notify/delivery-process.ts) writes to the same database as the server (its
// outbox records), at a lower CPU priority. The operating system can switch it out while it holds
// SQLite's write lock, and the server's own writes wait only 10 ms for a lock (a lock held by another
// program must not freeze readers), so a staff post during a fan-out could be refused for a lock
// that our own delivery holds for microseconds of work.
//
// This flag says when the delivery process is writing. It is 8 bytes of a small file that both
// processes share: the supervisor creates it in a temporary directory, opens it and removes it at
// once (so nothing is left behind, and no cleaner of /tmp can take it away), and hands the open
// file to the delivery process as one of its standard descriptors. The delivery process raises the
// flag once its write transaction holds the lock and lowers it after the commit (two writes to the
// page cache, a few microseconds); the server reads it only when a write met the lock. A server
// write that found the database locked while the flag was up (or went up and down during its
// attempt) waits for it to come down, which leaves the core to the delivery process so it finishes,
// and tries again. A lock held by another program leaves the flag down (the delivery process raises
// it only once it holds the lock itself): that write is refused at once, as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bytes 0-3: 1 while a write is under way; bytes 4-7: how many writes have ended (little-endian). */
const SIZE = 8;

export class DeliveryWriteFlag {
  /** The open file: passed to the delivery process, which gets it as a descriptor of its own. */
  readonly fd: number;
  /** Whether this flag opened the file (and closes it); false for a descriptor it was given. */
  readonly #owned: boolean;
  readonly #cells = Buffer.alloc(SIZE);
  #closed = false;

  /** Uses the open file `fd`, or creates one (in a temporary directory, removed at once). */
  constructor(fd?: number) {
    if (fd !== undefined) {
      this.fd = fd;
      this.#owned = false;
      this.#read(); // an fd that is not an open file fails here, not at the first write
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-delivery-'));
      try {
        const file = path.join(dir, 'writing');
        this.fd = fs.openSync(file, 'w+', 0o600);
        fs.unlinkSync(file);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      this.#owned = true;
      fs.writeSync(this.fd, Buffer.alloc(SIZE), 0, SIZE, 0);
    }
  }

  /** Up: a write of the delivery process holds the lock. */
  raise(): void {
    this.#write(1, this.releases());
  }

  /** Down, and one more write ended (also when the process that held it died mid-write). */
  lower(): void {
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

  /** Done with it: closes the file when this flag opened it; from then on it reads as down. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) fs.closeSync(this.fd);
  }

  /** The cells; once closed (the server stopping), down with no writes. */
  #read(): Buffer {
    if (this.#closed) this.#cells.fill(0);
    else fs.readSync(this.fd, this.#cells, 0, SIZE, 0);
    return this.#cells;
  }

  #write(held: 0 | 1, releases: number): void {
    if (this.#closed) return;
    const cells = Buffer.alloc(SIZE);
    cells.writeInt32LE(held, 0);
    cells.writeInt32LE(releases | 0, 4);
    fs.writeSync(this.fd, cells, 0, SIZE, 0);
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
