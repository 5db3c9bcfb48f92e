// `npm run db:backup -- <file>`: a consistent copy of the live database, taken with SQLite's
// online backup API while Candor keeps serving and writing (a plain file copy of a WAL database
// can miss committed pages still in the -wal file, or catch a page half-written).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '../src/config.ts';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run db:backup -- <file>   (e.g. backups/candor-$(date +%F).db)');
  process.exit(1);
}
const source = getConfig().databasePath;
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}. Set CANDOR_DB to the file Candor uses.`);
  process.exit(1);
}
const out = path.resolve(target);
if (fs.existsSync(out)) {
  console.error(`${out} already exists; choose a new file name.`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
const db = new Database(source, { readonly: true, fileMustExist: true });
const started = Date.now();
try {
  await db.backup(out);
} finally {
  db.close();
}
const check = new Database(out, { readonly: true });
const ok = check.pragma('integrity_check', { simple: true });
check.close();
if (ok !== 'ok') {
  console.error(`The copy at ${out} failed SQLite's integrity check: ${String(ok)}`);
  process.exit(1);
}
console.log(`Backed up ${source} to ${out} (${fs.statSync(out).size} bytes, ${Date.now() - started} ms, integrity ok).`);
