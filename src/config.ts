// The one place that reads process.env. Validated once, at first use.
import path from 'node:path';
import proxyAddr from 'proxy-addr';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';

export interface Config {
  /** SQLite file path. */
  databasePath: string;
  /** NODE_ENV=production: no demo data, ever. */
  production: boolean;
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
  /**
   * Where readers reach the site (CANDOR_PUBLIC_URL), without a trailing slash. Wins over the
   * address set in the workspace, so feeds and API links are right from the first start.
   */
  publicUrl: string | null;
  /** Level of the JSON log lines (CANDOR_LOG_LEVEL). */
  logLevel: LogLevel;
  /**
   * Prometheus metrics: served at /metrics on the site's own port (CANDOR_METRICS=true), and/or
   * on a port of their own (CANDOR_METRICS_PORT) that need not be exposed with the site.
   */
  metrics: { onSitePort: boolean; port: number | null };
  /**
   * Litestream replicates the database (CANDOR_LITESTREAM=true): Candor then leaves WAL checkpoints
   * to it (wal_autocheckpoint = 0), as Litestream advises, so the two never race for the WAL.
   */
  litestream: boolean;
  /**
   * Purge on write (CANDOR_PURGE_URL): after each public write, the changed public URLs are POSTed
   * there as {"files": [...]}, through the outbox, with CANDOR_PURGE_AUTHORIZATION as the
   * Authorization header when set. Null: no purges (CDNs keep pages for their 30 s).
   */
  purge: { url: string; authorization: string | null } | null;
  /** Outgoing mail server (`smtp://user:pass@host:587`, `smtps://…`); null switches email subscriptions off. */
  smtpUrl: string | null;
  /** The From address of subscriber mail. */
  mailFrom: string;
  /**
   * Let webhooks and chat destinations reach loopback, private and link-local addresses. Off by
   * default so a subscriber cannot make Candor probe the network it runs in.
   */
  webhookAllowPrivate: boolean;
  /**
   * argon2id cost for new password hashes. `standard` is OWASP's recommendation; `test` is a
   * trivial cost for the test suite only (hundreds of hashes), ignored when NODE_ENV=production.
   * Stored hashes name their own cost, so either kind still verifies under the other.
   */
  passwordHashCost: PasswordHashCost;
  /**
   * Which X-Forwarded-For entries name the client (sign-in throttling is per address): with
   * `hops`, that many proxies in front of Candor append an entry each; with `ranges`, every
   * hop from those addresses (proxy-addr syntax: 10.0.0.0/8, ::1, loopback, uniquelocal) is a
   * proxy. Null when no proxy is trusted.
   */
  proxyTrust: ProxyTrust | null;
  /**
   * Connection hygiene against slow clients (src/server/http/connection-limits.ts):
   * CANDOR_HEADERS_TIMEOUT_S (10), CANDOR_REQUEST_TIMEOUT_S (30), CANDOR_MAX_CONNECTIONS (8000,
   * keep it under `ulimit -n`) and CANDOR_MAX_CONNECTIONS_PER_ADDRESS (256; off behind a trusted
   * proxy, whose one address carries everyone's connections).
   */
  connections: ConnectionLimits;
}

export type ProxyTrust = { hops: number } | { ranges: string[] };

export interface ConnectionLimits {
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included: a body that stalls is cut off after it. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections from one client address; null for no per-address cap (behind a trusted proxy). */
  maxPerAddress: number | null;
  /** Open connections in all; beyond it new ones are closed at once (keep it under `ulimit -n`). */
  maxTotal: number;
}


/**
 * CANDOR_TRUST_PROXY: false (default), true (one proxy, as before), a number of proxies, or a
 * comma-separated list of proxy addresses and ranges.
 */
function readProxyTrust(name: string): ProxyTrust | null {
  const raw = (process.env[name] ?? '').trim();
  if (raw === '' || /^(0|false|no|off)$/i.test(raw)) return null;
  if (/^(true|yes|on)$/i.test(raw)) return { hops: 1 };
  if (/^\d+$/.test(raw)) return Number(raw) > 32 ? invalidTrust(name, raw) : { hops: Number(raw) };
  const ranges = raw.split(',').map((part) => part.trim()).filter(Boolean);
  try {
    proxyAddr.compile(ranges);
  } catch (error) {
    return invalidTrust(name, raw, (error as Error).message);
  }
  return { ranges };
}

function invalidTrust(name: string, raw: string, detail = ''): never {
  throw new Error(`${name} must be true, false, a number of proxies (1-32) or a list of proxy addresses/ranges, got "${raw}"${detail ? ` (${detail})` : ''}`);
}

export type PasswordHashCost = 'standard' | 'test';

export function passwordHashCostOf(env: Record<string, string | undefined>): PasswordHashCost {
  const raw = env.CANDOR_PASSWORD_HASH_COST ?? '';
  if (raw === '' || raw === 'standard') return 'standard';
  if (raw !== 'test') throw new Error(`CANDOR_PASSWORD_HASH_COST must be standard or test, got "${raw}"`);
  // Production always hashes at the standard cost, whatever the environment says.
  return env.NODE_ENV === 'production' ? 'standard' : 'test';
}

function readBoolean(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function readPublicUrl(): string | null {
  const raw = process.env.CANDOR_PUBLIC_URL;
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`CANDOR_PUBLIC_URL must be an absolute http(s) address such as https://status.example.com, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new Error(`CANDOR_PUBLIC_URL must be an http(s) address without query, fragment or credentials, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function readDemo(production: boolean): boolean {
  const asked = readBoolean('CANDOR_DEMO', !production);
  if (asked && production) {
    throw new Error('CANDOR_DEMO=true is refused with NODE_ENV=production: the demo would publish a fictional company on your status page');
  }
  return asked;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'];

function readLogLevel(): LogLevel {
  const raw = (process.env.CANDOR_LOG_LEVEL ?? '').trim().toLowerCase();
  if (raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new Error(`CANDOR_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${process.env.CANDOR_LOG_LEVEL}"`);
  return raw as LogLevel;
}

function readWhole(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function readConnectionLimits(proxied: boolean): ConnectionLimits {
  return {
    headersTimeoutMs: readWhole('CANDOR_HEADERS_TIMEOUT_S', 10, 1, 300) * 1000,
    requestTimeoutMs: readWhole('CANDOR_REQUEST_TIMEOUT_S', 30, 1, 3600) * 1000,
    keepAliveTimeoutMs: 5000,
    maxPerAddress: proxied ? null : readWhole('CANDOR_MAX_CONNECTIONS_PER_ADDRESS', 256, 1, 1_000_000),
    maxTotal: readWhole('CANDOR_MAX_CONNECTIONS', 8000, 1, 1_000_000),
  };
}

function readPort(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number from 1 to 65535, got "${raw}"`);
  return port;
}

function readSmtpUrl(): string | null {
  const raw = process.env.CANDOR_SMTP_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('CANDOR_SMTP_URL must be a URL such as smtp://user:pass@host:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('CANDOR_SMTP_URL must start with smtp:// or smtps://');
  return raw;
}

function readPurge(): Config['purge'] {
  const raw = process.env.CANDOR_PURGE_URL;
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`CANDOR_PURGE_URL must be an absolute http(s) address, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`CANDOR_PURGE_URL must be an http(s) address, got "${raw}"`);
  const authorization = process.env.CANDOR_PURGE_AUTHORIZATION?.trim() || null;
  return { url: url.href, authorization };
}

let cached: Config | undefined;

export function getConfig(): Config {
  if (cached) return cached;
  const root = process.env.CANDOR_ROOT ?? process.cwd();
  const production = process.env.NODE_ENV === 'production';
  const proxyTrust = readProxyTrust('CANDOR_TRUST_PROXY');
  cached = {
    databasePath: path.resolve(root, process.env.CANDOR_DB ?? 'data/candor.db'),
    production,
    seedDemoWhenEmpty: readDemo(production),
    migrationsDir: path.resolve(root, 'db/migrations'),
    proxyTrust,
    connections: readConnectionLimits(proxyTrust !== null),
    trustProxy: proxyTrust !== null,
    publicUrl: readPublicUrl(),
    logLevel: readLogLevel(),
    metrics: { onSitePort: readBoolean('CANDOR_METRICS', false), port: readPort('CANDOR_METRICS_PORT') },
    litestream: readBoolean('CANDOR_LITESTREAM', false),
    purge: readPurge(),
    smtpUrl: readSmtpUrl(),
    mailFrom: process.env.CANDOR_MAIL_FROM || 'Candor <status@localhost>',
    webhookAllowPrivate: readBoolean('CANDOR_WEBHOOK_ALLOW_PRIVATE', false),
    passwordHashCost: passwordHashCostOf(process.env),
  };
  return cached;
}
