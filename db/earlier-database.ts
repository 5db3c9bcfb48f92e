// Whether a database file that is about to be created had a predecessor. A status page that lost
// its file must not come back as a demo company, so Candor leaves a small marker beside the
// database it creates, and a fresh start that finds the marker (or the -wal and -shm files
// SQLite leaves behind) without the database says so instead of loading the demo data.
// Deleting `candor.db*` together, as the README's demo reset does, removes the marker too.
import fs from 'node:fs';

export const markerPathOf = (databaseFile: string) => `${databaseFile}.candor`;

/** Traces of an earlier database at this path (empty when the file exists, or nothing was ever here). */
export function earlierDatabaseTraces(databaseFile: string): string[] {
  if (databaseFile === ':memory:' || fs.existsSync(databaseFile)) return [];
  return [markerPathOf(databaseFile), `${databaseFile}-wal`, `${databaseFile}-shm`].filter((trace) => fs.existsSync(trace));
}

/** Leaves the marker beside a database in use (once; it is never rewritten). */
export function markDatabase(databaseFile: string, now: number): void {
  if (databaseFile === ':memory:') return;
  try {
    fs.writeFileSync(markerPathOf(databaseFile), `Candor database ${databaseFile}, first opened ${new Date(now).toISOString()}. Keep this file with the database: it tells Candor that a database existed here.\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
