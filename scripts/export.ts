// `npm run export -- --out <dir>`: writes the public site as static files (see README, "Static mirror").
//
//   --out <dir>          where the tree goes (replaced atomically; must be empty, missing or an earlier export)
//   --from <url>         export from a Candor that is already running instead of starting one
//   --watch              keep running and export again after every change to the data
//   --db <file>          the database to watch (default: CANDOR_DB, else data/candor.db)
//   --base-path <path>   path prefix the tree is published under, for 404.html's links (default /)
//   --concurrency <n>    parallel requests (default 4)
//   --no-notice          leave out the "Static copy … as of …" line on pages
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getConfig, type Config } from '../src/config.ts';
import { startCandor, type StartedCandor } from './export/server.ts';
import { ExportError, exportSite, checkOutDir, type ExportResult } from './export/site.ts';
import { openVersionProbe, watchAndExport } from './export/watch.ts';

function fail(message: string): never {
  console.error(`export: ${message}`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      watch: { type: 'boolean', default: false },
      db: { type: 'string' },
      'base-path': { type: 'string', default: '/' },
      concurrency: { type: 'string', default: '4' },
      'no-notice': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\nusage: npm run export -- --out <dir> [--from <url>] [--watch] [--db <file>] [--base-path /prefix/] [--concurrency 4] [--no-notice]`);
}

let config: Config;
try {
  config = getConfig();
} catch (error) {
  fail((error as Error).message);
}
const cwd = config.callerDir; // npm runs scripts in the project root; paths are the caller's
if (!args.out) fail('--out <dir> is required');
const outDir = path.resolve(cwd, args.out);
const concurrency = Number(args.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) fail('--concurrency must be a whole number from 1 to 64');
if (args.from) {
  try {
    const url = new URL(args.from);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    fail(`--from must be an http(s) URL, got "${args.from}"`);
  }
}
try {
  checkOutDir(outDir);
} catch (error) {
  fail((error as Error).message);
}
const databasePath = args.db ? path.resolve(cwd, args.db) : config.databasePath;

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const summary = (r: ExportResult, version?: number) =>
  `${stamp()} exported ${r.pages} pages, ${r.files} files (${(r.bytes / 1024 / 1024).toFixed(1)} MB) to ${r.outDir} in ${(r.ms / 1000).toFixed(1)} s` +
  (version === undefined ? '' : ` (data version ${version})`) +
  (r.warnings.length > 0 ? `, ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}` : '');

let server: StartedCandor | null = null;
let finished = false;
const controller = new AbortController();
const shutDown = () => controller.abort();
process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);

try {
  let origin = args.from;
  if (!origin) {
    console.log('Starting Candor for the export…');
    server = await startCandor({ log: (line) => console.log(`  [candor] ${line}`) });
    origin = server.origin;
    void server.exited.then((code) => {
      if (!finished && !controller.signal.aborted) {
        console.error(`export: Candor stopped (exit code ${code}); stopping too`);
        process.exitCode = 1;
        controller.abort();
      }
    });
  }
  const probe = args.watch ? openVersionProbe(databasePath) : null;
  const version = probe?.read();
  const exportOnce = () =>
    exportSite({
      origin: origin!,
      outDir,
      concurrency,
      basePath: args['base-path'],
      notice: !args['no-notice'],
      log: (line) => console.log(`  ${line}`),
    });
  console.log(summary(await exportOnce(), version));
  if (probe) {
    console.log(`Watching ${databasePath} for changes (Ctrl-C to stop)…`);
    await watchAndExport({
      probe,
      log: (line) => console.error(`${stamp()} ${line}`),
      runExport: async (v) => console.log(summary(await exportOnce(), v)),
      signal: controller.signal,
    });
    probe.close();
  }
} catch (error) {
  if (error instanceof ExportError) console.error(`export: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
} finally {
  finished = true;
  await server?.stop();
}
