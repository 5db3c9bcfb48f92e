// `--watch`: notice every change to the site's data and export again.
//
// A read-only connection polls the database. PRAGMA data_version changes whenever another
// connection commits anything; only then is the site's own data version read (every command bumps
// it in the same transaction as its change), so sign-ins and other writes that do not change the
// public site cause no export.
import Database from 'better-sqlite3';
import fs from 'node:fs';

export interface VersionProbe {
  /** The site's data version (site_settings.data_version), re-read only after a commit elsewhere. */
  read: () => number;
  close: () => void;
}

export function openVersionProbe(databasePath: string): VersionProbe {
  if (!fs.existsSync(databasePath)) throw new Error(`no database at ${databasePath}`);
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  const commits = db.prepare('pragma data_version').pluck();
  const siteVersion = db.prepare('select data_version from site_settings where id = 1').pluck();
  let lastCommit: unknown = undefined;
  let lastVersion = 0;
  return {
    read: () => {
      const commit = commits.get();
      if (commit !== lastCommit) {
        lastCommit = commit;
        lastVersion = Number(siteVersion.get() ?? 0);
      }
      return lastVersion;
    },
    close: () => db.close(),
  };
}

export interface WatchOptions {
  probe: VersionProbe;
  /** Runs one export; a rejection is logged and retried after `retryMs`. */
  runExport: (version: number) => Promise<void>;
  log: (line: string) => void;
  /** How often to look at the database (default 2 s). */
  pollMs?: number;
  /** Quiet time after the last change before exporting (default 1 s). */
  debounceMs?: number;
  /** Export at the latest this long after the first unexported change, even if changes continue (default 10 s). */
  maxDelayMs?: number;
  /** After a failed export, wait this long before trying again (default 30 s). */
  retryMs?: number;
  /** Resolves the returned promise when aborted. */
  signal?: AbortSignal;
}

/** Polls until aborted; exports after each change, debounced. The first export is the caller's. */
export async function watchAndExport(options: WatchOptions): Promise<void> {
  const pollMs = options.pollMs ?? 2000;
  const debounceMs = options.debounceMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const retryMs = options.retryMs ?? 30_000;
  let exported = options.probe.read();
  let seen = exported;
  let firstChangeAt: number | null = null;
  let lastChangeAt = 0;
  let retryAt = 0;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  while (!options.signal?.aborted) {
    await sleep(firstChangeAt === null ? pollMs : Math.min(pollMs, debounceMs));
    if (options.signal?.aborted) break;
    const now = Date.now();
    const version = options.probe.read();
    if (version !== seen) {
      seen = version;
      lastChangeAt = now;
      firstChangeAt ??= now;
    }
    if (firstChangeAt === null || version === exported || now < retryAt) {
      if (version === exported) firstChangeAt = null;
      continue;
    }
    if (now - lastChangeAt < debounceMs && now - firstChangeAt < maxDelayMs) continue;
    try {
      await options.runExport(version);
      exported = version;
      firstChangeAt = seen === exported ? null : lastChangeAt;
    } catch (error) {
      retryAt = Date.now() + retryMs;
      options.log(`export after data version ${version} failed: ${(error as Error).message}; trying again in ${Math.round(retryMs / 1000)} s`);
    }
  }
}
