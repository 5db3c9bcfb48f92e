// A staff write during a fan-out: the delivery process (low priority) can be switched out while it
// holds SQLite's write lock; the server's writes wait only 10 ms for a lock. They must wait for our
// own delivery's write instead of being refused, and still be refused at once for another program's.
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { Unavailable } from '../../src/server/errors.ts';
import { DeliveryWriteFlag, setDeliveryWriteFlag } from '../../src/server/delivery-write-flag.ts';
import { guardWrite } from '../../src/server/storage-faults.ts';

let dir: string;
let file: string;
let db: Db;
let thread: Worker | null = null;
let flags: DeliveryWriteFlag[] = [];
/** A flag as the supervisor makes one: a file of its own, closed (and removed) after the test. */
const newFlag = () => {
  const flag = new DeliveryWriteFlag();
  flags.push(flag);
  return flag;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-flag-'));
  file = path.join(dir, 'candor.db');
  // The server's busy timeout (src/server/db.ts SERVER_BUSY_TIMEOUT_MS).
  db = openDatabase(file, path.resolve('db/migrations'), { busyTimeoutMs: 10 });
  db.$client.exec('create table probe (n integer)');
});

afterEach(async () => {
  setDeliveryWriteFlag(null);
  if (thread) await thread.terminate();
  thread = null;
  for (const flag of flags) flag.close();
  flags = [];
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = () => guardWrite(db, () => db.$client.prepare('insert into probe values (1)').run());
const rows = () => (db.$client.prepare('select count(*) as n from probe').get() as { n: number }).n;

/**
 * Starts the holder thread and resolves once it holds the write lock. It keeps it until `started()`
 * is called plus holdMs (or until `letGo()`), so the test's write always meets it.
 */
async function threadHoldsLock(flag: DeliveryWriteFlag, holdMs: number): Promise<{ started: () => void; letGo: () => void }> {
  const cells = new Int32Array(new SharedArrayBuffer(8));
  thread = new Worker(new URL('../support/lock-holder.ts', import.meta.url), { workerData: { file, flagFile: flag.file, cells: cells.buffer, holdMs } });
  const [message] = (await once(thread, 'message')) as [string];
  expect(message).toBe('holding');
  const set = (i: number) => {
    Atomics.store(cells, i, 1);
    Atomics.notify(cells, i);
  };
  return { started: () => set(0), letGo: () => (set(0), set(1)) };
}

describe('a server write that meets the delivery process holding the write lock (here a thread writing as it does)', () => {
  it('waits for that write to end and is saved', async () => {
    const flag = newFlag();
    // A generous budget: the assertion is about waiting at all, not about how fast this machine is.
    setDeliveryWriteFlag(flag, 10_000);
    const holder = await threadHoldsLock(flag, 50);
    expect(flag.held()).toBe(true);
    holder.started();
    insert();
    // The thread's row first, then ours: both saved.
    expect(db.$client.prepare('select n from probe order by rowid').pluck().all()).toEqual([0, 1]);
    expect(flag.held()).toBe(false);
  });

  it('without the flag, the same moment is refused as locked (what the flag prevents)', async () => {
    const flag = newFlag();
    const holder = await threadHoldsLock(flag, 60_000);
    let refusal: unknown = null;
    try {
      insert();
    } catch (error) {
      refusal = error;
    }
    holder.letGo();
    await once(thread!, 'exit');
    expect(refusal).toBeInstanceOf(Unavailable);
    expect((refusal as Unavailable).fault).toBe('locked');
    // Only the thread's row: the refused write left nothing.
    expect(db.$client.prepare('select n from probe').pluck().all()).toEqual([0]);
  });

  it("another program's lock is still refused at once, flag or not", () => {
    setDeliveryWriteFlag(newFlag(), 10_000);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      expect(insert).toThrowError(Unavailable);
      // Not waiting out the 10 s budget: the flag was down, so the lock is not ours.
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(rows()).toBe(0);
  });
});

describe('the flag', () => {
  it('is seen through another handle on its file, counts the writes that ended, and its file goes with close()', () => {
    const flag = newFlag();
    const other = new DeliveryWriteFlag(flag.file);
    expect([other.held(), other.releases()]).toEqual([false, 0]);
    let seen: boolean[] = [];
    flag.hold(() => (seen = [other.held(), flag.held()]));
    expect(seen).toEqual([true, true]);
    expect([other.held(), other.releases()]).toEqual([false, 1]);
    // The supervisor takes it down for a process that died mid-write.
    other.hold(() => flag.release());
    expect([flag.held(), flag.releases()]).toEqual([false, 3]);
    expect(other.waitReleased(0)).toBe(true);
    other.close();
    flag.close();
    expect(fs.existsSync(flag.file)).toBe(false);
    expect(fs.existsSync(path.dirname(flag.file))).toBe(false);
    // Closed, it reads as down: a server write during shutdown is not waited for.
    expect(flag.held()).toBe(false);
  });
});
