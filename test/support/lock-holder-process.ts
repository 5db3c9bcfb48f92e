// A process that writes the way the delivery process does (the flag on descriptor 4, raised once it
// holds the lock: delivery-write-flag.ts), but is "switched out" in the middle of its transaction,
// as a low-priority process can be: it holds the write lock until the test's write has started plus
// holdMs, or until the test lets it go. The test signals through a file of two bytes, which this
// process reads every millisecond: [0] the test's write has started, [1] let go now.
// Arguments: the database, the signal file, holdMs.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { DeliveryWriteFlag } from '../../src/server/delivery-write-flag.ts';

const [file, signalFile, holdMs] = process.argv.slice(2) as [string, string, string];
const pause = new Int32Array(new SharedArrayBuffer(4));
const signal = (i: number) => fs.readFileSync(signalFile)[i] === 1;
const db = new Database(file);
const flag = new DeliveryWriteFlag(4);
db.exec('BEGIN IMMEDIATE');
flag.raise();
db.exec('insert into probe values (0)');
process.send!('holding');
while (!signal(0)) Atomics.wait(pause, 0, 0, 1);
// Longer than the server's 10 ms busy timeout, unless the test lets go first.
for (const until = performance.now() + Number(holdMs); performance.now() < until && !signal(1); ) Atomics.wait(pause, 0, 0, 1);
db.exec('COMMIT');
flag.lower();
db.close();
process.disconnect();
