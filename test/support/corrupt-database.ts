// Damages a real SQLite file the way a failing disk or a bad copy does: bytes of the file itself
// overwritten, so SQLite reports SQLITE_CORRUPT / SQLITE_NOTADB when it reads them.
import Database from 'better-sqlite3';
import fs from 'node:fs';

/** Moves everything into the main file, so overwritten pages are what readers get. */
function checkpoint(file: string): { pageSize: number; rootPages: Map<string, number> } {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const rows = db.prepare("select name, rootpage from sqlite_master where type in ('table', 'index') and rootpage > 0").all() as { name: string; rootpage: number }[];
    return { pageSize, rootPages: new Map(rows.map((r) => [r.name, r.rootpage])) };
  } finally {
    db.close();
  }
}

/** Overwrites the root page of a table and of each of its indexes with garbage. */
export function corruptTable(file: string, table: string): void {
  const { pageSize, rootPages } = checkpoint(file);
  const names = [...rootPages.keys()].filter((name) => name === table || name.startsWith(`${table}_`) || name.startsWith(`sqlite_autoindex_${table}_`));
  if (!names.includes(table)) throw new Error(`no table ${table} in ${file}`);
  const fd = fs.openSync(file, 'r+');
  try {
    for (const name of names) fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootPages.get(name)! - 1) * pageSize);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Overwrites the file's header: SQLite no longer recognises it as a database at all. */
export function corruptHeader(file: string): void {
  checkpoint(file);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.from('this is not a database, it was overwritten'), 0, 42, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  for (const side of [`${file}-wal`, `${file}-shm`]) fs.rmSync(side, { force: true });
}
