// Whether the database file is already migrated and set up, checked with one plain connection, so
// that a restart (the common case) skips the preparing child process (scripts/prepare-database.ts),
// which costs about 2 s of CPU for loading the migration code. The check mirrors what preparing
// would do: migrations apply when the newest applied one is older than the newest in the journal
// (drizzle's rule), and the demo data and the settings row are written only when the settings row
// is missing.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export interface Startup {
  databasePath: string;
  seeded: boolean;
  /** Nobody can sign in to the workspace yet. */
  noStaff: boolean;
  /** The database opened read-only (db/client.ts): pages are served, writes refused. */
  readOnly?: boolean;
  /** What SQLite said about a damaged file: Candor serves what it can read and refuses writes. */
  damage?: string;
  /** Files showing that a database existed at this path before this new one (db/earlier-database.ts). */
  earlierTraces?: string[];
}

/** The exit status of scripts/prepare-database.ts when the file is damaged but can be served. */
export const PREPARED_DAMAGED = 3;

export function describeStartup(startup: Startup): string {
  const lines = [`Database: ${startup.databasePath}${startup.seeded ? ' (new — demo data loaded)' : ''}`];
  const traces = startup.earlierTraces ?? [];
  if (traces.length > 0) {
    lines.push(
      `WARNING: ${startup.databasePath} did not exist, but ${traces.join(', ')} show that a database was here before.`,
      'Candor created a new, EMPTY database and did not load the demo data. If the old database was lost, stop Candor and',
      'restore it from a backup (README: Backups). To start over on purpose, delete the database and these files together.',
    );
  }
  if (startup.readOnly) {
    lines.push(`WARNING: ${startup.databasePath} is read-only. Candor serves what it holds and refuses every change (503) until the file and its directory are writable and Candor is restarted.`);
  }
  if (startup.damage !== undefined) {
    lines.push(
      `WARNING: ${startup.databasePath} is damaged (${startup.damage}).`,
      'Candor serves what it can still read (pages it cannot read answer 503, /healthz says why) and refuses every change.',
      'Stop Candor and restore the database from a backup (README: Backups); the damaged file is left as it is.',
    );
  }
  if (startup.noStaff) lines.push('No staff account yet. Create the first owner with: npm run user:create');
  return lines.join('\n');
}

/** What preparing would report, when preparing would change nothing; otherwise null. */
export function readyStartup(databasePath: string, migrationsDir: string): Startup | null {
  if (!fs.existsSync(databasePath)) return null;
  let db: Database.Database | undefined;
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] };
    const newest = Math.max(...journal.entries.map((e) => e.when));
    db = new Database(databasePath, { readonly: true, fileMustExist: true });
    const applied = db.prepare('select max(created_at) from __drizzle_migrations').pluck().get() as number | null;
    if (applied === null || applied < newest) return null;
    if (db.prepare('select count(*) from site_settings where id = 1').pluck().get() !== 1) return null;
    const staff = db.prepare('select count(*) from users').pluck().get() as number;
    return { databasePath, seeded: false, noStaff: staff === 0 };
  } catch {
    return null; // let preparing say what is wrong, in its one clear line
  } finally {
    db?.close();
  }
}
