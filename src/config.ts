// The one place that reads process.env. Each variable is one entry of ENV (zod): read and validated
// once, at first use, and a bad value stops the start with one line naming the variable. To add a
// setting: an entry in ENV, a field in Config, a line in getConfig.
import path from 'node:path';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** SQLite file path (CANDOR_DB, default data/candor.db under the project). */
  databasePath: string;
  /** NODE_ENV=production: no demo data, ever. */
  production: boolean;
  /** Load the demo data set when the database is empty at start. */
  seedDemoWhenEmpty: boolean;
  /** Directory holding the drizzle migrations. */
  migrationsDir: string;
  /** The build the server serves (CANDOR_OUT_DIR, default dist). */
  outDir: string;
  /** Where the server listens (HOST, default localhost; PORT, default 4321, 0 for any free port). */
  host: string;
  port: number;
  /** How long clock-dependent text may stand before a re-render (CANDOR_CACHE_TICK_MS); 0 turns the response cache off. */
  cacheTickMs: number;
  /** The directory `npm run …` was started in (npm's INIT_CWD): command-line paths are the caller's. */
  callerDir: string;
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
   * The nice value of every thread of the delivery process. 10 lets readers of the site go first
   * when the cores are busy; on a host busy with other work, a lower value keeps mail moving.
   */
  deliveryNice: number;
  /**
   * Run the delivery process under Linux's SCHED_IDLE policy: it sends only on CPU time nothing else
   * on the machine wants, and a reader's request takes the core from it at once. If that starves it
   * (a machine busy for long stretches), the server starts it again at deliveryNice alone.
   */
  deliveryIdle: boolean;
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


/** An unset or blank variable reads as undefined; anything else is trimmed. */
const text = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const refuse = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** A variable checked (and converted) by `read`, which returns the value or a refusal. */
const variable = <T>(read: (raw: string) => T | { refused: string }) =>
  text.transform((raw, ctx): T | undefined => {
    if (raw === undefined) return undefined;
    const value = read(raw);
    return typeof value === 'object' && value !== null && 'refused' in value ? refuse(ctx, value.refused) : (value as T);
  });

const flag = (name: string) =>
  variable((raw) => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    return { refused: `${name} must be true or false, got "${raw}"` };
  });

const whole = (name: string, min: number, max: number) =>
  variable((raw) => {
    const value = Number(raw);
    return Number.isInteger(value) && value >= min && value <= max ? value : { refused: `${name} must be a whole number from ${min} to ${max}, got "${raw}"` };
  });

const port = (name: string, lowest: 0 | 1) =>
  variable((raw) => {
    const value = Number(raw);
    return Number.isInteger(value) && value >= lowest && value <= 65535 ? value : { refused: `${name} must be a port number from ${lowest} to 65535, got "${raw}"` };
  });

/** An absolute http(s) address, as its normalised href. */
const httpUrl = (name: string, example: string) =>
  variable((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { refused: `${name} must be an absolute http(s) address${example}, got "${raw}"` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: `${name} must be an http(s) address, got "${raw}"` };
    return url.href;
  });

/** CANDOR_PUBLIC_URL, without a trailing slash. */
const publicUrl = variable((raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { refused: `CANDOR_PUBLIC_URL must be an absolute http(s) address such as https://status.example.com, got "${raw}"` };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    return { refused: `CANDOR_PUBLIC_URL must be an http(s) address without query, fragment or credentials, got "${raw}"` };
  }
  return url.href.replace(/\/+$/, '');
});

/**
 * CANDOR_TRUST_PROXY: false (default), true (one proxy), a number of proxies, or a comma-separated
 * list of proxy addresses and ranges.
 */
const proxyTrust = variable<ProxyTrust | null>((raw) => {
  const refused = (detail = '') => ({
    refused: `CANDOR_TRUST_PROXY must be true, false, a number of proxies (1-32) or a list of proxy addresses/ranges, got "${raw}"${detail ? ` (${detail})` : ''}`,
  });
  if (/^(0|false|no|off)$/i.test(raw)) return null;
  if (/^(true|yes|on)$/i.test(raw)) return { hops: 1 };
  if (/^\d+$/.test(raw)) return Number(raw) > 32 ? refused() : { hops: Number(raw) };
  const ranges = raw.split(',').map((part) => part.trim()).filter(Boolean);
  try {
    proxyAddr.compile(ranges);
  } catch (error) {
    return refused((error as Error).message);
  }
  return { ranges };
});

const ENV = z.object({
  CANDOR_ROOT: text,
  NODE_ENV: text,
  INIT_CWD: text,
  CANDOR_DB: text,
  CANDOR_DEMO: flag('CANDOR_DEMO'),
  CANDOR_OUT_DIR: text,
  HOST: text,
  PORT: port('PORT', 0),
  CANDOR_CACHE_TICK_MS: variable((raw) => {
    const ms = Number(raw);
    return Number.isFinite(ms) && ms >= 0 ? ms : { refused: `CANDOR_CACHE_TICK_MS must be a number of milliseconds, got "${raw}"` };
  }),
  CANDOR_TRUST_PROXY: proxyTrust,
  CANDOR_PUBLIC_URL: publicUrl,
  CANDOR_LOG_LEVEL: variable((raw) => {
    const level = raw.toLowerCase();
    return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : { refused: `CANDOR_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"` };
  }),
  CANDOR_METRICS: flag('CANDOR_METRICS'),
  CANDOR_METRICS_PORT: port('CANDOR_METRICS_PORT', 1),
  CANDOR_LITESTREAM: flag('CANDOR_LITESTREAM'),
  CANDOR_PURGE_URL: httpUrl('CANDOR_PURGE_URL', ''),
  CANDOR_PURGE_AUTHORIZATION: text,
  CANDOR_SMTP_URL: variable((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { refused: 'CANDOR_SMTP_URL must be a URL such as smtp://user:pass@host:587' };
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return { refused: 'CANDOR_SMTP_URL must start with smtp:// or smtps://' };
    return raw;
  }),
  CANDOR_MAIL_FROM: text,
  CANDOR_WEBHOOK_ALLOW_PRIVATE: flag('CANDOR_WEBHOOK_ALLOW_PRIVATE'),
  CANDOR_DELIVERY_NICE: whole('CANDOR_DELIVERY_NICE', 0, 19),
  CANDOR_DELIVERY_IDLE: flag('CANDOR_DELIVERY_IDLE'),
  CANDOR_PASSWORD_HASH_COST: variable((raw) =>
    raw === 'standard' || raw === 'test' ? raw : { refused: `CANDOR_PASSWORD_HASH_COST must be standard or test, got "${raw}"` },
  ),
  CANDOR_HEADERS_TIMEOUT_S: whole('CANDOR_HEADERS_TIMEOUT_S', 1, 300),
  CANDOR_REQUEST_TIMEOUT_S: whole('CANDOR_REQUEST_TIMEOUT_S', 1, 3600),
  CANDOR_MAX_CONNECTIONS_PER_ADDRESS: whole('CANDOR_MAX_CONNECTIONS_PER_ADDRESS', 1, 1_000_000),
  CANDOR_MAX_CONNECTIONS: whole('CANDOR_MAX_CONNECTIONS', 1, 1_000_000),
});

type Environment = z.output<typeof ENV>;

/** The variables, validated; throws an Error whose message names the first bad one. */
function readEnvironment(env: Record<string, string | undefined>): Environment {
  const parsed = ENV.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
  return parsed.data;
}

export type PasswordHashCost = 'standard' | 'test';

/** `test` only outside production: production always hashes at the standard cost. */
export function passwordHashCostOf(env: Record<string, string | undefined>): PasswordHashCost {
  const { CANDOR_PASSWORD_HASH_COST: cost, NODE_ENV } = readEnvironment({
    CANDOR_PASSWORD_HASH_COST: env.CANDOR_PASSWORD_HASH_COST,
    NODE_ENV: env.NODE_ENV,
  });
  return cost === 'test' && NODE_ENV !== 'production' ? 'test' : 'standard';
}

/** Where the build lives: CANDOR_OUT_DIR, or dist under `root` (astro.config.mjs builds there). */
export function outDirOf(root: string): string {
  return path.resolve(root, readEnvironment({ CANDOR_OUT_DIR: process.env.CANDOR_OUT_DIR }).CANDOR_OUT_DIR ?? 'dist');
}

let cached: Config | undefined;

/** The configuration, read from process.env once, at first use. */
export function getConfig(): Config {
  cached ??= configFrom(process.env);
  return cached;
}

/** The configuration these variables give; throws an Error whose message names the first bad one. */
export function configFrom(variables: Record<string, string | undefined>): Config {
  const env = readEnvironment(variables);
  const root = env.CANDOR_ROOT ?? process.cwd();
  const production = env.NODE_ENV === 'production';
  const demo = env.CANDOR_DEMO ?? !production;
  if (demo && production) {
    throw new Error('CANDOR_DEMO=true is refused with NODE_ENV=production: the demo would publish a fictional company on your status page');
  }
  const trust = env.CANDOR_TRUST_PROXY ?? null;
  return {
    databasePath: path.resolve(root, env.CANDOR_DB ?? 'data/candor.db'),
    production,
    seedDemoWhenEmpty: demo,
    migrationsDir: path.resolve(root, 'db/migrations'),
    outDir: path.resolve(root, env.CANDOR_OUT_DIR ?? 'dist'),
    host: env.HOST ?? 'localhost',
    port: env.PORT ?? 4321,
    cacheTickMs: env.CANDOR_CACHE_TICK_MS ?? 5000,
    callerDir: env.INIT_CWD ?? process.cwd(),
    proxyTrust: trust,
    trustProxy: trust !== null,
    connections: {
      headersTimeoutMs: (env.CANDOR_HEADERS_TIMEOUT_S ?? 10) * 1000,
      requestTimeoutMs: (env.CANDOR_REQUEST_TIMEOUT_S ?? 30) * 1000,
      keepAliveTimeoutMs: 5000,
      // Behind a trusted proxy its one address carries everyone's connections.
      maxPerAddress: trust !== null ? null : (env.CANDOR_MAX_CONNECTIONS_PER_ADDRESS ?? 256),
      maxTotal: env.CANDOR_MAX_CONNECTIONS ?? 8000,
    },
    publicUrl: env.CANDOR_PUBLIC_URL ?? null,
    logLevel: env.CANDOR_LOG_LEVEL ?? 'info',
    metrics: { onSitePort: env.CANDOR_METRICS ?? false, port: env.CANDOR_METRICS_PORT ?? null },
    litestream: env.CANDOR_LITESTREAM ?? false,
    purge: env.CANDOR_PURGE_URL ? { url: env.CANDOR_PURGE_URL, authorization: env.CANDOR_PURGE_AUTHORIZATION ?? null } : null,
    smtpUrl: env.CANDOR_SMTP_URL ?? null,
    mailFrom: env.CANDOR_MAIL_FROM ?? 'Candor <status@localhost>',
    webhookAllowPrivate: env.CANDOR_WEBHOOK_ALLOW_PRIVATE ?? false,
    deliveryNice: env.CANDOR_DELIVERY_NICE ?? 10,
    deliveryIdle: env.CANDOR_DELIVERY_IDLE ?? true,
    passwordHashCost: env.CANDOR_PASSWORD_HASH_COST === 'test' && !production ? 'test' : 'standard',
  };
}
