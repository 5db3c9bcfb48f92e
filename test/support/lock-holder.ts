// A thread that writes the way the delivery process does (flag up, delivery-write-flag.ts), but is
// "switched out" in the middle of its transaction, as a low-priority process can be: it holds the
// write lock until the test's write has started plus holdMs, or until the test lets it go.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { DeliveryWriteFlag } from '../../src/server/delivery-write-flag.ts';

/** cells[0]: the test's write has started (1); cells[1]: let go now (1). */
const { file, flagFile, cells, holdMs } = workerData as { file: string; flagFile: string; cells: SharedArrayBuffer; holdMs: number };
const signal = new Int32Array(cells);
const db = new Database(file);
const flag = new DeliveryWriteFlag(flagFile);
flag.hold(() => {
  db.exec('BEGIN IMMEDIATE');
  db.exec('insert into probe values (0)');
  parentPort!.postMessage('holding');
  Atomics.wait(signal, 0, 0);
  // Longer than the server's 10 ms busy timeout, unless the test lets go first.
  Atomics.wait(signal, 1, 0, holdMs);
  db.exec('COMMIT');
});
flag.close();
db.close();
