// A staff write during a fan-out: the delivery process (low priority) can be switched out while it
// holds SQLite's write lock; the server's writes wait only 10 ms for a lock. They must wait for our
// own delivery's write instead of being refused, and still be refused at once for another program's.
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { Unavailable } from '../../src/server/errors.ts';
import { DeliveryWriteFlag, setDeliveryWriteFlag } from '../../src/server/delivery-write-flag.ts';
import { guardWrite } from '../../src/server/storage-faults.ts';

let dir: string;
let file: string;
let db: Db;
let holderProcess: ChildProcess | null = null;
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
  if (holderProcess && holderProcess.exitCode === null && holderProcess.signalCode === null) {
    holderProcess.kill('SIGKILL');
    await once(holderProcess, 'exit');
  }
  holderProcess = null;
  for (const flag of flags) flag.close();
  flags = [];
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = () => guardWrite(db, () => db.$client.prepare('insert into probe values (1)').run());
const rows = () => (db.$client.prepare('select count(*) as n from probe').get() as { n: number }).n;

/**
 * Starts the holder process, handing it the flag as the supervisor hands it to the delivery process
 * (descriptor 4), and resolves once it holds the write lock. It keeps it until `started()` is called
 * plus holdMs (or until `letGo()`), so the test's write always meets it.
 */
async function processHoldsLock(flag: DeliveryWriteFlag, holdMs: number): Promise<{ started: () => void; letGo: () => void }> {
  const signals = path.join(dir, 'signals');
  fs.writeFileSync(signals, Buffer.from([0, 0]));
  holderProcess = fork(path.resolve('test/support/lock-holder-process.ts'), [file, signals, String(holdMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc', flag.fd] });
  const [message] = (await once(holderProcess, 'message')) as [string];
  expect(message).toBe('holding');
  return { started: () => fs.writeFileSync(signals, Buffer.from([1, 0])), letGo: () => fs.writeFileSync(signals, Buffer.from([1, 1])) };
}

describe('a server write that meets the delivery process holding the write lock', () => {
  it('waits for that write to end and is saved', async () => {
    const flag = newFlag();
    // A generous budget: the assertion is about waiting at all, not about how fast this machine is.
    setDeliveryWriteFlag(flag, 10_000);
    const holder = await processHoldsLock(flag, 50);
    expect(flag.held()).toBe(true);
    holder.started();
    insert();
    // The holder's row first, then ours: both saved.
    expect(db.$client.prepare('select n from probe order by rowid').pluck().all()).toEqual([0, 1]);
    expect(flag.held()).toBe(false);
  });

  it('without the flag, the same moment is refused as locked (what the flag prevents)', async () => {
    const flag = newFlag();
    const holder = await processHoldsLock(flag, 60_000);
    let refusal: unknown = null;
    try {
      insert();
    } catch (error) {
      refusal = error;
    }
    holder.letGo();
    await once(holderProcess!, 'exit');
    expect(refusal).toBeInstanceOf(Unavailable);
    expect((refusal as Unavailable).fault).toBe('locked');
    // Only the holder's row: the refused write left nothing.
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
  it('is seen through the same descriptor elsewhere, counts the writes that ended, and leaves no file behind', () => {
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('candor-delivery-'));
    const flag = newFlag();
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('candor-delivery-'))).toEqual(before);
    const other = new DeliveryWriteFlag(flag.fd);
    expect([other.held(), other.releases()]).toEqual([false, 0]);
    flag.raise();
    expect([other.held(), flag.held()]).toEqual([true, true]);
    flag.lower();
    expect([other.held(), other.releases()]).toEqual([false, 1]);
    // The supervisor takes it down for a process that died mid-write.
    other.raise();
    flag.lower();
    expect([other.held(), other.releases()]).toEqual([false, 2]);
    expect(other.waitReleased(0)).toBe(true);
    other.close(); // not its descriptor: the flag still works
    expect(flag.releases()).toBe(2);
    flag.close();
    // Closed, it reads as down: a server write during shutdown is not waited for.
    expect(flag.held()).toBe(false);
    expect(() => new DeliveryWriteFlag(flag.fd)).toThrow();
  });
});
