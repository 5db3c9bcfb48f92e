// What the response cache learns on each look at the database: the data version, and which pages
// the writes since its previous look can have changed. Triggers write those as rows of page_changes
// (migration 0009) in the writing transaction; this reads the rows after the last one it saw.
//
// The version and the newest row id come from one statement, so they are one snapshot: every row up
// to that id belongs to a version up to that one, and a row written later belongs to a later one.
// Rows are read by id in a second statement and stop at that id. Whenever the rows cannot be told
// for sure (the first look, rows pruned before they were read, a database made before 0009, the
// cache switched off), the answer is null: every page renders again, as before scoped invalidation.
import type Database from 'better-sqlite3';
import type { Observed } from './rendered-cache.ts';

export function changeFeed(db: Database.Database): () => Observed | undefined {
  // Prepared on first use, and again after a failure: on a damaged file even preparing may fail,
  // and the cache then answers the last good bytes (RenderedCache.get) until it can read again.
  let look: (() => Observed | undefined) | undefined;
  return () => (look ??= prepare(db))();
}

function prepare(db: Database.Database): () => Observed | undefined {
  let head: Database.Statement;
  let rows: Database.Statement;
  try {
    head = db.prepare('select data_version as version, (select max(id) from page_changes) as last from site_settings where id = 1');
    rows = db.prepare('select id, scope from page_changes where id > ? and id <= ? order by id');
  } catch (error) {
    if (!/no such table: page_changes/.test((error as Error).message)) throw error;
    // A read-only database from before page_changes: versions only, every write renders all.
    const version = db.prepare('select data_version from site_settings where id = 1').pluck();
    return () => {
      const v = version.get() as number | undefined;
      return v === undefined ? undefined : { version: v, changed: null };
    };
  }
  let lastId: number | null = null;
  let lastVersion: number | null = null;
  return () => {
    const now = head.get() as { version: number; last: number | null } | undefined;
    if (now === undefined) return undefined;
    // The same version: nothing to say yet (rows written without a version bump, by the seed, wait
    // for the next one).
    if (lastId !== null && now.version === lastVersion) return { version: now.version, changed: [] };
    const last = now.last ?? 0;
    let changed: string[] | null = null;
    if (lastId !== null && last >= lastId) {
      const found = rows.all(lastId, last) as { id: number; scope: string }[];
      // A gap (rows pruned before we read them) means some changes are unknown.
      const complete = last === lastId || found[0]?.id === lastId + 1;
      changed = complete ? [...new Set(found.map((r) => r.scope))] : null;
    }
    lastId = last;
    lastVersion = now.version;
    return { version: now.version, changed };
  };
}
