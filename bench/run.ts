// `npm run bench`: Candor on outage day. Builds if needed, loads the large history (10 years,
// 50 components, 10,000 incidents, 100,000 updates), starts the real server and measures it at
// 100 connections, BENCH_SECONDS each (default 10) after BENCH_WARMUP_SECONDS (default 2) of the same
// load not counted, with wrk when installed (else autocannon):
//   - `/`, an incident page, `/history.rss`, `/api/v2/summary.json`, against nginx (the baseline)
//     serving the very same bytes from files, uncompressed on both sides; `/` also against sirv,
//     a Node static server (a second reference), and Candor again as browsers ask (br, gzip);
//   - a mix of 14 public paths with no writes, then while a second process posts incident updates
//     10 times and once a second (reads under writes);
//   - render time of `/` with no cached bytes (cache off: what a render after a write costs),
//     and the server's first render after the process starts, demo and large;
//   - page sizes and the server's peak memory (VmHWM).
// Prints a table and writes bench/results.json. The machine's other load moves every figure:
// compare Candor with the baseline measured in the same run, not across runs.
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
import { findWrk, loader, type Load } from './load.ts';
import { findNginx, startNginx } from './nginx.ts';

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

const wrk = findWrk();
const runLoad = loader(wrk);
// Every server gets the same load for WARMUP_SECONDS first, not counted: a server answers readers
// for days, and its first seconds after a start (V8 compiling the hot path, the heap growing to its
// working size) are not what readers meet. Without it the first load of a freshly started Candor
// measured p99 100-250 ms where the same load a second later measured 18-26 ms. nginx and sirv are
// warmed the same way.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const load = async (url: string, headers: Record<string, string> = {}, paths?: readonly string[], { warm = true } = {}): Promise<Load> => {
  if (warm && WARMUP_SECONDS > 0) await runLoad(url, { connections: CONNECTIONS, seconds: WARMUP_SECONDS, headers, paths });
  return runLoad(url, { connections: CONNECTIONS, seconds: SECONDS, headers, paths });
};

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

const RENDER_WARMUP = 10;
const RENDER_SAMPLES = 100;

async function renderTimes(databasePath: string): Promise<Render> {
  const server = await startCandor(databasePath, { CANDOR_CACHE_TICK_MS: '0' });
  try {
    // The line is logged just after the port opens.
    for (let i = 0; i < 100 && !/first render of \/ took/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 50));
    const processStartMs = Number(/first render of \/ took (\d+) ms/.exec(server.output())?.[1] ?? NaN);
    // As for the loads: renders of a server that has been up a while (V8 has compiled the render
    // path), so the first RENDER_WARMUP are not counted; then enough renders that the p95 is not
    // just the second-slowest of a few (the worker's full collections come every 8-10 renders).
    for (let i = 0; i < RENDER_WARMUP; i++) await timed(`${server.url}/`);
    const uncached: number[] = [];
    for (let i = 0; i < RENDER_SAMPLES; i++) uncached.push((await timed(`${server.url}/`)).ms);
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

const large = new Database(largeDb, { readonly: true });
const incidents = large.prepare('select public_id from incidents order by started_at desc limit 3').pluck().all() as string[];
const component = large.prepare('select slug from components order by position limit 1').pluck().get() as string;
large.close();
const routes = [
  { name: '/', path: '/', file: 'index.html' },
  { name: 'incident page', path: `/incidents/${incidents[0]}`, file: 'incident.html' },
  { name: '/history.rss', path: '/history.rss', file: 'history.rss' },
  { name: '/api/v2/summary.json', path: '/api/v2/summary.json', file: 'summary.json' },
];
/** What readers ask for during an incident: pages, feeds, API, badge. */
const MIX = [
  '/', `/incidents/${incidents[0]}`, `/incidents/${incidents[2]}`, '/history', '/history?page=2', '/uptime', `/components/${component}`,
  '/history.rss', '/history.atom', '/maintenance.ics', '/api/v2/summary.json', '/api/v2/incidents.json', '/api/v2/components.json', '/badge.svg',
];
const BROWSER = { 'Accept-Encoding': 'br, gzip' };

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

const nginxFound = findNginx(true);
log(`Load generator: ${wrk ? `wrk (${wrk}), one thread` : 'autocannon (wrk not found: apt-get install wrk)'}. Baseline: ${nginxFound.note}.`);
let nginx: Proc | null = null;
if (nginxFound.binary) {
  const port = await freePort();
  const child = startNginx(nginxFound.binary, staticDir, port, work);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitForPort(port, child, () => out);
  nginx = { url: `http://127.0.0.1:${port}`, child, output: () => out, stop: async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  } };
}
const sirvPort = await freePort();
const sirv = await start(['bench/static-server.ts', staticDir, String(sirvPort)], {}, sirvPort);

interface Compared {
  candor: Load;
  nginx: Load | null;
  /** Candor ÷ nginx (or ÷ sirv without nginx). */
  ratio: number;
  sirv?: Load;
  candorCompressed?: Load;
}
const throughput: Record<string, Compared> = {};
const ratioOf = (a: Load, b: Load) => Math.round((a.requestsPerSec / b.requestsPerSec) * 100) / 100;
try {
  for (const route of routes) {
    const front = route.path === '/';
    log(`Loading ${route.name} (${CONNECTIONS} connections, ${SECONDS} s each: Candor, nginx${front ? ', sirv, Candor with br/gzip' : ''})…`);
    const c = await load(candor.url + route.path);
    const n = nginx ? await load(`${nginx.url}/${route.file}`) : null;
    const s = front || !nginx ? await load(`${sirv.url}/${route.file}`) : undefined;
    const z = front ? await load(candor.url + route.path, BROWSER) : undefined;
    throughput[route.name] = { candor: c, nginx: n, ratio: ratioOf(c, n ?? s!), sirv: s, candorCompressed: z };
  }
} finally {
  await nginx?.stop();
  await sirv.stop();
}

interface UnderWrites extends Load {
  writesPerSec: number;
  writesPosted: number;
  /** Share of the no-write mix's throughput. */
  share: number;
}
// Every mix path rendered once first, as on a server that has been up a while.
for (const p of MIX) await (await fetch(candor.url + p, { headers: BROWSER })).arrayBuffer();
log(`Loading the mix of ${MIX.length} paths with no writes (${SECONDS} s)…`);
const mixQuiet = await load(candor.url, BROWSER, MIX);
const underWrites: UnderWrites[] = [];
for (const everyMs of [100, 1000]) {
  log(`Loading the mix while a second process posts an incident update every ${everyMs} ms (${SECONDS} s)…`);
  const writer = spawn(process.execPath, ['bench/writer.ts', largeDb, String(everyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let writerOut = '';
  writer.stdout!.on('data', (d) => (writerOut += d));
  while (!/incident \w+/.test(writerOut) && writer.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  for (const p of MIX) await (await fetch(candor.url + p, { headers: BROWSER })).arrayBuffer();
  const started = Date.now();
  // Warm already from the mix above; a warm-up here would only add writes before the measurement.
  const mixed = await load(candor.url, BROWSER, MIX, { warm: false });
  const seconds = (Date.now() - started) / 1000;
  const writerDone = new Promise((r) => writer.once('exit', r));
  writer.kill('SIGTERM');
  await writerDone;
  const posted = Number(/posted (\d+)/.exec(writerOut)?.[1] ?? 0);
  underWrites.push({ ...mixed, writesPerSec: Math.round((posted / seconds) * 10) / 10, writesPosted: posted, share: ratioOf(mixed, mixQuiet) });
}
// The last update must be on the very next read.
const lastWrites = underWrites.at(-1)!.writesPosted;
const lastPage = await (await fetch(`${candor.url}/`)).text();
const lastVisible = lastPage.includes(`update ${lastWrites}.`);
const peakMb = peakRssMb(candor.child.pid!);
await candor.stop();
fs.rmSync(work, { recursive: true, force: true });

// --- report --------------------------------------------------------------------------------------

const front = throughput['/']!;
const [tenPerSec, onePerSec] = underWrites as [UnderWrites, UnderWrites];
const baselineName = nginx ? 'nginx' : 'sirv';
const targets = {
  [`/ ≥ 0.7× ${baselineName} (identity)`]: front.ratio >= 0.7,
  '/ p99 < 20 ms at 100 connections': front.candor.p99 < 20,
  'mix under 10 writes/s ≥ 50 % of no-write throughput': tenPerSec.share >= 0.5,
  'mix under 10 writes/s p99 < 50 ms': tenPerSec.p99 < 50,
  'mix under 1 write/s ≥ 90 % of no-write throughput': onePerSec.share >= 0.9,
  'last write visible on the next read': lastVisible,
  'uncached render of / < 40 ms (large, p95)': renders.large.uncachedP95Ms < 40,
  '/ HTML < 50 KB': sizes['/']!.bytes < 50 * 1024,
  'RSS feed < 1 MB': sizes['/history.rss']!.bytes < 1024 * 1024,
  'peak memory < 300 MB': peakMb < 300,
};
const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) },
  settings: { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, renderWarmup: RENDER_WARMUP, renderSamples: RENDER_SAMPLES, loadGenerator: wrk ? 'wrk -t1' : 'autocannon', baseline: nginxFound.note, dataSet: 'large: 10 years, 50 components, 10,000 incidents, 100,000 updates' },
  throughput,
  mix: { paths: MIX, quiet: mixQuiet, underWrites, lastWriteVisibleOnNextRead: lastVisible },
  renders,
  sizes,
  peakMemoryMb: peakMb,
  targets,
};
fs.writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);
const cell = (l: Load | null | undefined) => (l ? `${lpad(l.requestsPerSec, 8)}${lpad(l.p99, 7)}` : `${lpad('–', 8)}${lpad('', 7)}`);
log('');
log(`Throughput, large data set, ${CONNECTIONS} connections, ${SECONDS} s each (req/s and p99 ms; load average ${results.machine.loadAverage.join(' ')})`);
log(`${pad('route', 22)}${lpad('Candor', 8)}${lpad('p99', 7)}${lpad('nginx', 8)}${lpad('p99', 7)}${lpad('ratio', 7)}${lpad('sirv', 8)}${lpad('p99', 7)}${lpad('br/gzip', 8)}${lpad('p99', 7)}`);
for (const [name, t] of Object.entries(throughput)) {
  log(`${pad(name, 22)}${cell(t.candor)}${cell(t.nginx)}${lpad(t.ratio + '×', 7)}${cell(t.sirv)}${cell(t.candorCompressed)}`);
}
log('');
log(`Mix of ${MIX.length} paths (br, gzip): no writes ${mixQuiet.requestsPerSec} req/s, p50 ${mixQuiet.p50} ms, p99 ${mixQuiet.p99} ms`);
for (const w of underWrites) {
  log(`  with ${w.writesPerSec} writes/s: ${w.requestsPerSec} req/s (${Math.round(w.share * 100)} %), p50 ${w.p50} ms, p99 ${w.p99} ms, errors ${w.errors + w.non2xx}`);
}
log(`Last update on the next read: ${lastVisible ? 'yes' : 'NO'}`);
log(`Render of / with no cached bytes (as after a write): demo median ${renders.demo.uncachedMedianMs} ms (p95 ${renders.demo.uncachedP95Ms}); large median ${renders.large.uncachedMedianMs} ms (p95 ${renders.large.uncachedP95Ms})`);
log(`First render of / after the process starts (before it listens): demo ${renders.demo.processStartMs} ms, large ${renders.large.processStartMs} ms`);
log(`Sizes (large): ${Object.entries(sizes).map(([n, s]) => `${n} ${s.bytes} B (br ${s.br} B)`).join('; ')}`);
log(`Peak memory of the server: ${peakMb} MB`);
log('');
for (const [target, met] of Object.entries(targets)) log(`${met ? 'met   ' : 'MISSED'}  ${target}`);
log('\nWrote bench/results.json');
