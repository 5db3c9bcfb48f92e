// The one place that reads process.env. Validated once, at first use.
import path from 'node:path';

export interface Config {
  /** SQLite file path. */
  databasePath: string;
  /** Load the demo data set when the database is empty at start. */
  seedDemoWhenEmpty: boolean;
  /** Directory holding the drizzle migrations. */
  migrationsDir: string;
  /**
   * Behind a reverse proxy: believe its X-Forwarded-For (client address, for sign-in throttling)
   * and X-Forwarded-Proto (HTTPS, for the session cookie). Off by default, because anyone can send
   * those headers to a server that is reached directly.
   */
  trustProxy: boolean;
}

function readBoolean(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

let cached: Config | undefined;

export function getConfig(): Config {
  if (cached) return cached;
  const root = process.env.CANDOR_ROOT ?? process.cwd();
  cached = {
    databasePath: path.resolve(root, process.env.CANDOR_DB ?? 'data/candor.db'),
    seedDemoWhenEmpty: readBoolean('CANDOR_DEMO', true),
    migrationsDir: path.resolve(root, 'db/migrations'),
    trustProxy: readBoolean('CANDOR_TRUST_PROXY', false),
  };
  return cached;
}
