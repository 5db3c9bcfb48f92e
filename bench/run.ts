// `npm run bench`: Candor on outage day. Builds if needed, loads the large history (10 years,
// 50 components, 10,000 incidents, 100,000 updates), starts the real server and measures with
// autocannon (100 connections, BENCH_SECONDS each, default 10):
//   - `/`, an incident page, `/history.rss`, `/api/v2/summary.json`, against the same bytes served
//     as static files by a plain static server (the baseline), uncompressed on both sides, and
//     Candor again as browsers ask (Accept-Encoding: br, gzip);
//   - `/` while a writer posts an incident update every 100 ms;
//   - render time of `/` with no cached bytes (cache off: what the first reader after a write
//     waits for), and the server's first render after the process starts, demo and large;
//   - page sizes and the server's peak memory (VmHWM).
// Prints a table and writes bench/results.json.
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 100;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-'));

// --- processes -----------------------------------------------------------------------------------

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Proc {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

async function start(args: string[], env: Record<string, string>, port: number): Promise<Proc> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitForPort(port, child, () => out);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startCandor(databasePath: string, extra: Record<string, string> = {}): Promise<Proc> {
  const port = await freePort();
  return start([...SERVER_NODE_FLAGS, 'scripts/serve.ts'], { HOST: '127.0.0.1', PORT: String(port), CANDOR_DB: databasePath, CANDOR_OUT_DIR: path.join(root, 'dist'), ...extra }, port);
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

// --- measurements --------------------------------------------------------------------------------

interface Load {
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function timed(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return { ms: performance.now() - started, bytes: body.byteLength };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Render {
  /** The server's own first render of / after the process starts (module loading, JIT). */
  processStartMs: number;
  /** Requests for / that find no cached bytes (the cache off), as after every write. */
  uncachedMedianMs: number;
  uncachedP95Ms: number;
}

async function renderTimes(databasePath: string): Promise<Render> {
  const server = await startCandor(databasePath, { CANDOR_CACHE_TICK_MS: '0' });
  try {
    const processStartMs = Number(/first render of \/ took (\d+) ms/.exec(server.output())?.[1] ?? NaN);
    const uncached: number[] = [];
    for (let i = 0; i < 30; i++) uncached.push((await timed(`${server.url}/`)).ms);
    const sorted = [...uncached].sort((a, b) => a - b);
    return { processStartMs, uncachedMedianMs: round1(median(uncached)), uncachedP95Ms: round1(sorted[Math.floor(sorted.length * 0.95)]!) };
  } finally {
    await server.stop();
  }
}

// --- the run -------------------------------------------------------------------------------------

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

if (!buildIfStale()) process.exit(1);

const demoDb = path.join(work, 'demo.db');
const largeDb = path.join(work, 'large.db');
log('Loading the large history (10 years, 50 components, 10,000 incidents)…');
const seeded = spawnSync(process.execPath, ['scripts/seed.ts', '--large'], { env: { ...process.env, CANDOR_DB: largeDb }, encoding: 'utf8' });
if (seeded.status !== 0) throw new Error(`large seed failed:\n${seeded.stdout}${seeded.stderr}`);

log('Cold and uncached render of / …');
const renders = { demo: await renderTimes(demoDb), large: await renderTimes(largeDb) };

const incident = (new Database(largeDb, { readonly: true }).prepare('select public_id from incidents order by started_at desc limit 1').pluck().get()) as string;
const routes = [
  { name: '/', path: '/', file: 'index.html' },
  { name: 'incident page', path: `/incidents/${incident}`, file: 'incident.html' },
  { name: '/history.rss', path: '/history.rss', file: 'history.rss' },
  { name: '/api/v2/summary.json', path: '/api/v2/summary.json', file: 'summary.json' },
];

const candor = await startCandor(largeDb);
const staticDir = path.join(work, 'static');
fs.mkdirSync(staticDir);
const sizes: Record<string, { bytes: number; gzip: number; br: number }> = {};
for (const route of routes) {
  const res = await fetch(candor.url + route.path, { headers: { 'Accept-Encoding': 'identity' } });
  const body = Buffer.from(await res.arrayBuffer());
  fs.writeFileSync(path.join(staticDir, route.file), body);
  sizes[route.name] = { bytes: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length, br: zlib.brotliCompressSync(body).length };
}
const staticPort = await freePort();
const baseline = await start(['bench/static-server.ts', staticDir, String(staticPort)], {}, staticPort);

const throughput: Record<string, { candor: Load; static: Load; ratio: number; candorCompressed: Load }> = {};
try {
  for (const route of routes) {
    log(`Loading ${route.name} (${CONNECTIONS} connections, ${SECONDS} s each: Candor, static, Candor with br/gzip)…`);
    const c = await load(candor.url + route.path);
    const s = await load(`${baseline.url}/${route.file}`);
    const z = await load(candor.url + route.path, { 'Accept-Encoding': 'br, gzip' });
    throughput[route.name] = { candor: c, static: s, ratio: Math.round((c.requestsPerSec / s.requestsPerSec) * 100) / 100, candorCompressed: z };
  }
} finally {
  await baseline.stop();
}

log(`Loading / while a writer posts an update every 100 ms (${SECONDS} s)…`);
const writer = spawn(process.execPath, ['bench/writer.ts', largeDb, '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
let writerOut = '';
writer.stdout!.on('data', (d) => (writerOut += d));
await new Promise((r) => setTimeout(r, 500));
const underWrites = await load(`${candor.url}/`, { 'Accept-Encoding': 'br, gzip' });
const writerDone = new Promise((r) => writer.once('exit', r));
writer.kill('SIGTERM');
await writerDone;
const writes = Number(/posted (\d+)/.exec(writerOut)?.[1] ?? 0);
// The last update must be on the very next read.
const lastPage = await (await fetch(`${candor.url}/`)).text();
const lastVisible = lastPage.includes(`update ${writes}.`);
const peakMb = peakRssMb(candor.child.pid!);
await candor.stop();
fs.rmSync(work, { recursive: true, force: true });

// --- report --------------------------------------------------------------------------------------

const front = throughput['/']!;
const targets = {
  'home ≥ 0.5× static throughput': front.ratio >= 0.5,
  'home p99 < 50 ms at 100 connections': front.candor.p99 < 50,
  'reads under writes p99 < 50 ms': underWrites.p99 < 50,
  'uncached render of / < 50 ms (large, p95)': renders.large.uncachedP95Ms < 50,
  '/ HTML < 50 KB': sizes['/']!.bytes < 50 * 1024,
  'RSS feed < 1 MB': sizes['/history.rss']!.bytes < 1024 * 1024,
  'peak memory < 300 MB': peakMb < 300,
};
const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
  settings: { connections: CONNECTIONS, seconds: SECONDS, dataSet: 'large: 10 years, 50 components, 10,000 incidents, 100,000 updates' },
  throughput,
  underWrites: { ...underWrites, writesPosted: writes, lastWriteVisibleOnNextRead: lastVisible },
  renders,
  sizes,
  peakMemoryMb: peakMb,
  targets,
};
fs.writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);
log('');
log(`Throughput, large data set, ${CONNECTIONS} connections, ${SECONDS} s each (req/s, latency p50/p99 ms)`);
log(`${pad('route', 22)}${lpad('Candor', 9)}${lpad('p50', 5)}${lpad('p99', 5)}${lpad('static', 9)}${lpad('p50', 5)}${lpad('p99', 5)}${lpad('ratio', 7)}${lpad('br/gzip', 9)}${lpad('p99', 5)}`);
for (const [name, t] of Object.entries(throughput)) {
  log(`${pad(name, 22)}${lpad(t.candor.requestsPerSec, 9)}${lpad(t.candor.p50, 5)}${lpad(t.candor.p99, 5)}${lpad(t.static.requestsPerSec, 9)}${lpad(t.static.p50, 5)}${lpad(t.static.p99, 5)}${lpad(t.ratio + '×', 7)}${lpad(t.candorCompressed.requestsPerSec, 9)}${lpad(t.candorCompressed.p99, 5)}`);
}
log('');
log(`Reads of / under a write every 100 ms: ${underWrites.requestsPerSec} req/s, p50 ${underWrites.p50} ms, p99 ${underWrites.p99} ms, ${writes} updates posted, errors ${underWrites.errors + underWrites.non2xx}; last update on the next read: ${lastVisible ? 'yes' : 'NO'}`);
log(`Render of / with no cached bytes (as after a write): demo median ${renders.demo.uncachedMedianMs} ms (p95 ${renders.demo.uncachedP95Ms}); large median ${renders.large.uncachedMedianMs} ms (p95 ${renders.large.uncachedP95Ms})`);
log(`First render of / after the process starts (before it listens): demo ${renders.demo.processStartMs} ms, large ${renders.large.processStartMs} ms`);
log(`Sizes (large): ${Object.entries(sizes).map(([n, s]) => `${n} ${s.bytes} B (br ${s.br} B)`).join('; ')}`);
log(`Peak memory of the server: ${peakMb} MB`);
log('');
for (const [target, met] of Object.entries(targets)) log(`${met ? 'met   ' : 'MISSED'}  ${target}`);
log('\nWrote bench/results.json');
