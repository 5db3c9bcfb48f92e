// `npm run db:seed` — load the demo into an empty database.
// `npm run db:seed -- --large [--reset]` — load the large synthetic history (10 years,
// 50 components, 10,000 incidents, 100,000 updates) for scale checks; --reset deletes the
// database file first.
import fs from 'node:fs';
import { openDatabase, type Db } from '../db/client.ts';
import { seedDemo } from '../db/seed/demo.ts';
import { seedLarge } from '../db/seed/large.ts';
import { getConfig } from '../src/config.ts';
import { renderMarkdown } from '../src/server/markdown.ts';

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => a !== '--large' && a !== '--reset');
if (unknown.length > 0) fail(`Unknown option ${unknown.join(', ')}. Use --large, optionally with --reset.`);
if (args.has('--reset') && !args.has('--large')) fail('--reset only goes with --large.');

const { databasePath, migrationsDir } = getConfig();
if (args.has('--reset')) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(databasePath + suffix, { force: true });
  console.log(`Deleted ${databasePath}.`);
}
const db = openDatabase(databasePath, migrationsDir);
try {
  if (args.has('--large')) loadLarge(db);
  else loadDemo(db);
} finally {
  db.$client.close();
}

function isEmpty(db: Db): boolean {
  return db.$client.prepare('SELECT 1 FROM site_settings').get() === undefined;
}

function loadDemo(db: Db): void {
  if (seedDemo(db, { now: Date.now(), render: renderMarkdown })) {
    console.log(`Loaded the demo into ${databasePath}.`);
  } else {
    console.log(`${databasePath} is not empty; left it as it is. To start again, delete that file (and its -wal/-shm files) and rerun.`);
  }
}

function loadLarge(db: Db): void {
  if (!isEmpty(db)) fail(`${databasePath} is not empty. Rerun with --large --reset to delete it and load the large set.`);
  const started = performance.now();
  const counts = seedLarge(db, { now: Date.now(), render: renderMarkdown });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const list = Object.entries(counts).map(([name, n]) => `${n.toLocaleString('en-US')} ${name}`).join(', ');
  console.log(`Loaded the large data set into ${databasePath} in ${seconds} s: ${list}.`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
