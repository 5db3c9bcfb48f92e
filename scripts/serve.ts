// Serves the built Candor: prepares the database (migrate, demo data when empty), loads Astro's
// request handler (node adapter in middleware mode), puts the rendered-bytes cache in front of it
// and listens on HOST:PORT. `npm start` builds first when needed, then runs this.
//
// Environment: HOST (default localhost), PORT (default 4321), CANDOR_OUT_DIR (the build, default dist),
// CANDOR_CACHE_TICK_MS (how long clock-dependent text may stand, default 5000; 0 turns the cache
// off), plus the database settings read by src/config.ts.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getConfig } from '../src/config.ts';
import { createFrontServer, loadAssets, renderThrough, type NodeHandler } from '../src/server/http/front-server.ts';
import { RenderedCache } from '../src/server/http/rendered-cache.ts';
import { hasServerFlags, SERVER_NODE_FLAGS } from './server-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// Run with the server's heap settings: when started without them (npm start, or node directly),
// run again as a child that has them, passing signals on and exiting as it exits.
if (!hasServerFlags()) {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: process.env,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  await new Promise(() => undefined); // the child serves; this process only waits for it
}
const outDir = path.resolve(root, process.env.CANDOR_OUT_DIR ?? 'dist');

// Migrate and seed in a child process: loading the migration code (drizzle-orm's ESM graph, as
// plain modules) costs Node 24 about 200 MB of transient heap that V8 keeps as resident memory.
// The server itself loads drizzle bundled into Astro's build, once (astro.config.mjs noExternal).
// The child prints one plain line when the database cannot be used.
const prepared = spawnSync(process.execPath, [path.join(root, 'scripts/prepare-database.ts')], { stdio: 'inherit', env: process.env });
if (prepared.status !== 0) process.exit(prepared.status ?? 1);

// The cache's own read-only connection: one indexed row per request tells whether anything changed.
const versionDb = new Database(getConfig().databasePath, { readonly: true, fileMustExist: true });
const versionQuery = versionDb.prepare('select data_version from site_settings where id = 1').pluck();

const tickMs = Number(process.env.CANDOR_CACHE_TICK_MS ?? 5000);
if (!Number.isFinite(tickMs) || tickMs < 0) {
  console.error(`Candor cannot start: CANDOR_CACHE_TICK_MS must be a number of milliseconds, got "${process.env.CANDOR_CACHE_TICK_MS}"`);
  process.exit(1);
}

const { handler } = (await import(pathToFileURL(path.join(outDir, 'server/entry.mjs')).href)) as { handler: NodeHandler };
// The data version the cache keys on. With the cache off (tick 0), or without the settings row
// that writes bump (prepareDatabase creates it), there is none to trust: each call then returns a
// number never seen before, so nothing is reused.
let untrusted = 0;
function currentVersion(): number {
  const version = tickMs === 0 ? undefined : (versionQuery.get() as number | undefined);
  return version ?? --untrusted;
}

const cache = new RenderedCache({
  render: (url) => renderThrough(handler, url),
  version: currentVersion,
  tickMs: tickMs === 0 ? 1 : tickMs,
  maxBytes: 64 * 1024 * 1024,
});
const server = createFrontServer({ handler, assets: await loadAssets(path.join(outDir, 'client')), cache });
// Render the home page once before listening: the first reader after a restart (often in the middle
// of an incident) gets bytes from the cache instead of paying for module loading and JIT warm-up.
const warming = performance.now();
await cache.get('/');
const warmedMs = Math.round(performance.now() - warming);

const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 4321);
server.listen(port, host, () => console.log(`Candor is serving on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (first render of / took ${warmedMs} ms)`));

function shutDown(): void {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
