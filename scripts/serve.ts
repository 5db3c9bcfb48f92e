// Serves the built Candor: prepares the database (migrate, demo data when empty), loads Astro's
// request handler (node adapter in middleware mode), puts the rendered-bytes cache in front of it
// and listens on HOST:PORT. `npm start` builds first when needed, then runs this.
//
// Settings (HOST, PORT, CANDOR_OUT_DIR, CANDOR_CACHE_TICK_MS, the database …) come from src/config.ts.
//
// Stops on SIGTERM or SIGINT: no new connections, requests in flight are answered (for up to
// STOP_GRACE_MS), then it logs that it stopped and exits 0.
import type http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { markDatabase } from '../db/earlier-database.ts';
import { openReadOnlyConnection } from '../db/read-only.ts';
import { getConfig } from '../src/config.ts';
import { limitConnections } from '../src/server/http/connection-limits.ts';
import { createFrontServer, loadAssets, type NodeHandler } from '../src/server/http/front-server.ts';
import { POLL_MS, RenderedCache, type Observed, type ReadOptions } from '../src/server/http/rendered-cache.ts';
import { changeFeed } from '../src/server/http/change-feed.ts';
import { RenderPool } from '../src/server/http/render-pool.ts';
import { createTelemetry } from '../src/server/ops/telemetry.ts';
import { FAULT_HEADER, noteReadFault } from '../src/server/read-faults.ts';
import { listenProblem, serveMetrics } from '../src/server/ops/listen.ts';
import { DELIVERY_NOT_RUNNING, DeliverySupervisor } from '../src/server/notify/delivery-supervisor.ts';
import { setDeliveryWriteFlag } from '../src/server/delivery-write-flag.ts';
import { senderKinds } from '../src/server/notify/sender-kinds.ts';
import { dueCheck } from '../src/server/notify/outbox.ts';
import { describeStartup, PREPARED_DAMAGED, readyStartup } from './database-ready.ts';
import { hasServerFlags, SERVER_ENV, SERVER_NODE_FLAGS } from './server-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// Run with the server's heap settings: when started without them (npm start, or node directly),
// run again as a child that has them, passing signals on and exiting as it exits.
if (!hasServerFlags()) {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...SERVER_ENV, ...process.env },
  });
  // A signal may reach both processes (a terminal's Ctrl-C, systemd's control group): pass it on once.
  let passedOn = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (!passedOn) child.kill(signal);
      passedOn = true;
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  await new Promise(() => undefined); // the child serves; this process only waits for it
}

// Migrate and seed in a child process: loading the migration code (drizzle-orm's ESM graph, as
// plain modules) costs Node 24 about 200 MB of transient heap that V8 keeps as resident memory.
// The server itself loads drizzle bundled into Astro's build, once (astro.config.mjs noExternal).
// The child prints one plain line when the database cannot be used.
let config;
try {
  config = getConfig();
} catch (error) {
  console.error(`Candor cannot start: ${(error as Error).message}`);
  process.exit(1);
}
const { outDir, cacheTickMs: tickMs, host, port } = config;
// A database that is already migrated and set up (every restart) needs no child.
const ready = readyStartup(config.databasePath, config.migrationsDir);
/** The file is damaged: pages are served from what can be read, nothing is written (db/client.ts openDamaged). */
let damaged = false;
if (ready) {
  console.log(describeStartup(ready));
  // Databases made before the marker existed get it now (see db/earlier-database.ts).
  try {
    markDatabase(config.databasePath, Date.now());
  } catch {
    // A read-only directory: nothing to mark, and preparing has said so.
  }
} else {
  // load-hooks.mjs: the preparation loads drizzle-orm as plain modules, three times faster with it.
  const prepared = spawnSync(process.execPath, ['--import', path.join(root, 'scripts/load-hooks.mjs'), path.join(root, 'scripts/prepare-database.ts')], { stdio: 'inherit', env: process.env });
  damaged = prepared.status === PREPARED_DAMAGED;
  if (prepared.status !== 0 && !damaged) process.exit(prepared.status ?? 1);
}

// The cache's own read-only connection: one indexed row per request tells whether anything changed.
// Prepared on first use: on a damaged file even preparing may fail, and then every read answers the
// last good bytes or 503 (RenderedCache.get) instead of Candor not starting.
const versionDb = openReadOnlyConnection(config.databasePath);
// With it, what each write touched: only those pages render again (change-feed.ts).
const changes = changeFeed(versionDb);

const { handler } = (await import(pathToFileURL(path.join(outDir, 'server/entry.mjs')).href)) as { handler: NodeHandler };
// The data version the cache keys on. With the cache off (tick 0), or without the settings row
// that writes bump (prepareDatabase creates it), there is none to trust: each call then returns a
// number never seen before, so nothing is reused.
let untrusted = 0;
function currentVersion(): Observed {
  const observed = tickMs === 0 ? undefined : changes();
  return observed ?? { version: --untrusted, changed: null, trusted: false };
}

const telemetry = createTelemetry(config);
const log = telemetry.log;

/** The response cache, counting its lookups for the metrics. */
class ObservedCache extends RenderedCache {
  override get(url: string, read?: ReadOptions) {
    telemetry.cacheLookup();
    return super.get(url, read);
  }
}
// Public pages render on a worker thread, never on this one, which only answers (render-pool.ts).
const renderPool = new RenderPool({ entry: path.join(outDir, 'server/entry.mjs'), stamp: () => cache.observe() });
const cache = new ObservedCache({
  render: async (url, urgent) => {
    const rendered = await telemetry.timeRender(() => renderPool.render(url, { urgent }));
    // The worker met a database it cannot read: /healthz says so (src/server/read-faults.ts).
    if (rendered.headers[FAULT_HEADER] === 'database_unreadable') noteReadFault(Date.now());
    return rendered;
  },
  expedite: (url) => renderPool.expedite(url),
  version: currentVersion,
  tickMs: tickMs === 0 ? 1 : tickMs,
  // Bytes and entries both bounded, least recently used first. 16 MB holds the pages most readers
  // ask for (the large home page counts 160 KB with its variants, an incident page 12 KB) many times
  // over. Each MB of bound costs about 2.5 MB of resident memory under a crawl, which keeps evicting:
  // evicted pages stay allocated until the next full collection. 24 MB peaked 20 MB higher, 64 MB
  // about 80 MB higher (npm run bench:memory).
  maxBytes: 16 * 1024 * 1024,
  maxEntries: 5000,
  // The requests one turn of the event loop handles share one look at the version (rendered-cache.ts).
  lookOncePerTurn: true,
});
const server = createFrontServer({
  handler,
  assets: await loadAssets(path.join(outDir, 'client')),
  cache,
  onError: (error, url) => log.error({ err: error, path: url.split('?', 1)[0] }, 'could not render'),
});
telemetry.observe(server);
// Slow or greedy clients must not starve the readers (issue 12): timeouts in seconds, connection caps.
limitConnections(server, config.connections);
// Render the home page once before listening: the first reader after a restart (often in the middle
// of an incident) gets bytes from the cache instead of paying for module loading and JIT warm-up.
const warming = performance.now();
await renderPool.ready();
try {
  await cache.get('/');
} catch (error) {
  // A damaged database: serve anyway (pages answer 503 and /healthz says why; start-up said so).
  log.warn({ err: (error as Error).message }, 'the home page could not be rendered before listening');
}
// Writes from other processes (the CLI, a second instance) are seen within POLL_MS even when nobody reads.
// A database that cannot be read makes observe() throw: readers then get the last good bytes (get()).
setInterval(() => {
  try {
    cache.observe();
  } catch {
    // noted by the next read
  }
}, POLL_MS).unref();
const warmedMs = Math.round(performance.now() - warming);

const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
try {
  await listenOn(server, port, host);
} catch (error) {
  console.error(`Candor cannot start: ${listenProblem(error, { host, port, variables: ['HOST', 'PORT'] })}`);
  process.exit(1);
}
log.info({ host, port }, `Candor is serving on http://${shown}:${port} (first render of / took ${warmedMs} ms)`);

// Subscriber notifications go out from a process of their own (delivery-supervisor.ts), never from a
// request, and never in this process, which answers readers. A damaged, read-only or unwritable
// database must not stop the status page from being served: notifications then wait for a restart,
// and the log says so.
// The process runs only while something is due (an indexed look on the cache's read-only connection
// every half second): a quiet server carries no delivery process and its memory.
let delivery: DeliverySupervisor | null = null;
if (damaged) log.warn({ err: 'the database is damaged' }, DELIVERY_NOT_RUNNING);
else {
  delivery = new DeliverySupervisor({ config, log, due: dueCheck(versionDb, senderKinds(config)), nice: config.deliveryNice, schedIdle: config.deliveryIdle });
  // A staff write that meets the delivery process's write lock waits the moment it takes, not refused.
  setDeliveryWriteFlag(delivery.flag);
}
try {
  telemetry.watchOutbox(versionDb);
} catch (error) {
  log.warn({ err: (error as Error).message }, 'outbox metrics are off: the database cannot be read');
}

const metricsServer = config.metrics.port === null ? null : serveMetrics(telemetry.metrics);
if (metricsServer) {
  try {
    await listenOn(metricsServer, config.metrics.port!, host);
  } catch (error) {
    console.error(`Candor cannot start: ${listenProblem(error, { host, port: config.metrics.port!, variables: ['HOST', 'CANDOR_METRICS_PORT'] })}`);
    process.exit(1);
  }
  log.info({ host, port: config.metrics.port }, `Metrics on http://${shown}:${config.metrics.port}/metrics`);
}

function listenOn(target: http.Server, onPort: number, onHost: string): Promise<void> {
  return new Promise((resolve, reject) => {
    target.once('error', reject);
    try {
      target.listen(onPort, onHost, () => {
        target.off('error', reject);
        resolve();
      });
    } catch (error) {
      reject(error); // a port out of range throws at once
    }
  });
}

/** How long requests in flight may take to finish after a stop signal. */
const STOP_GRACE_MS = 10_000;
let stopping = false;

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'Candor is stopping: no new connections, finishing the requests in flight');
  const started = performance.now();
  const servers = [server, ...(metricsServer ? [metricsServer] : [])];
  // Idle keep-alive connections are closed now, the others as soon as their response is sent.
  const closing = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
  // Messages in flight are recorded before the process ends, so none is sent twice after a restart.
  if (delivery) closing.push(delivery.stop().catch((error: Error) => log.error({ err: error.message }, 'stopping notification delivery failed')));
  for (const s of servers) s.closeIdleConnections();
  const sweep = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 50);
  const overdue = setTimeout(() => {
    log.warn({ graceMs: STOP_GRACE_MS }, 'requests still in flight after the grace period: closing their connections');
    servers.forEach((s) => s.closeAllConnections());
  }, STOP_GRACE_MS);
  void Promise.all(closing).then(async () => {
    clearInterval(sweep);
    clearTimeout(overdue);
    versionDb.close();
    log.info({ signal, ms: Math.round(performance.now() - started) }, 'Candor stopped');
    await telemetry.flush();
    process.exit(0);
  });
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
