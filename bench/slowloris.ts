// `npm run bench:slowloris`: one host opens BENCH_SLOW_CONNECTIONS (default 22,000) connections to
// Candor and sends their headers a line at a time, never finishing, while a reader from another
// address asks for `/` every 100 ms. Before issue 12, `/` was unreachable for about 75 s. Also
// times how long a body shorter than its Content-Length holds a connection (was 313 s).
//
// Loopback only, bounded in count (at most 30,000) and time (at most 120 s). The slow connections
// come from 127.0.0.2 and 127.0.0.3 (Linux answers all of 127/8 on lo), the reader from
// 127.0.0.1, so a per-address cap can tell them apart. A process may hold at most `ulimit -n`
// sockets, so the connections are split over worker processes that stay under it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { percentile, residentMb, startCandor } from './candor-process.ts';

const COUNT = Math.min(30_000, Number(process.env.BENCH_SLOW_CONNECTIONS ?? 22_000));
const SECONDS = Math.min(120, Number(process.env.BENCH_SLOW_SECONDS ?? 60));
/** Open files this process (and each worker) may hold: `ulimit -n`, read from /proc. */
const NOFILE = Number(/Max open files\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1024);
/** Enough workers that each stays well under that limit; each sends from its own loopback address. */
const WORKERS = Math.max(2, Math.ceil(COUNT / Math.max(1000, NOFILE - 1000)));
const SOURCES = Array.from({ length: WORKERS }, (_, i) => `127.0.0.${i + 2}`);

interface WorkerReport {
  attempted: number;
  connected: number;
  openAtEnd: number;
  closedByServer: number;
  failed: number;
}

if (process.argv[2] === '--slow') {
  const [port, count, source, seconds] = [Number(process.argv[3]), Number(process.argv[4]), process.argv[5]!, Number(process.argv[6])];
  process.stdout.write(JSON.stringify(await holdSlowConnections(port, count, source, seconds)) + '\n');
  process.exit(0);
} else {
  await main();
}

/** Opens `count` connections that send a request's headers a line every 5 s and never end them. */
async function holdSlowConnections(port: number, count: number, source: string, seconds: number): Promise<WorkerReport> {
  const report: WorkerReport = { attempted: 0, connected: 0, openAtEnd: 0, closedByServer: 0, failed: 0 };
  const open = new Set<net.Socket>();
  const until = Date.now() + seconds * 1000;
  let ending = false;
  const connectOne = () =>
    new Promise<void>((resolve) => {
      report.attempted++;
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: source });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        report.connected++;
        open.add(socket);
        socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        resolve();
      });
      socket.on('data', () => undefined);
      socket.once('error', () => {
        if (!open.has(socket)) report.failed++;
        resolve();
      });
      socket.once('close', () => {
        if (open.delete(socket) && !ending) report.closedByServer++;
      });
    });
  // Ramp up in waves, as fast as the machine allows.
  for (let i = 0; i < count && Date.now() < until; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, count - i) }, connectOne));
  }
  const trickle = setInterval(() => {
    for (const socket of open) socket.write('X-Slow: 1\r\n');
  }, 5000);
  while (Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  clearInterval(trickle);
  report.openAtEnd = open.size;
  ending = true;
  for (const socket of open) socket.destroy();
  return report;
}

function probe(port: number): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', localAddress: '127.0.0.1', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve({ ok: res.statusCode === 200, ms: performance.now() - started }));
    });
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', () => resolve({ ok: false, ms: performance.now() - started }));
  });
}

/** Seconds until the server drops a POST whose body stops 990 bytes short of its Content-Length (at most 60). */
function stalledBodySeconds(port: number): Promise<number | null> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => {
      socket.write('POST /api/admin/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":');
    });
    const limit = setTimeout(() => (socket.destroy(), resolve(null)), 60_000);
    socket.on('data', () => undefined);
    socket.once('close', () => {
      clearTimeout(limit);
      resolve((performance.now() - started) / 1000);
    });
    socket.once('error', () => undefined);
  });
}

async function main(): Promise<void> {
  const candor = await startCandor();
  try {
    const stalled = stalledBodySeconds(candor.port);
    const perWorker = Math.ceil(COUNT / SOURCES.length);
    const workers = SOURCES.map((source) => {
      const child = spawn(process.execPath, [process.argv[1]!, '--slow', String(candor.port), String(perWorker), source, String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      return new Promise<WorkerReport>((resolve) => child.once('exit', () => resolve(JSON.parse(out || '{}') as WorkerReport)));
    });
    const probes: { ok: boolean; ms: number }[] = [];
    let peakRss = 0;
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      probes.push(await probe(candor.port));
      peakRss = Math.max(peakRss, residentMb(candor.pid).now);
      await new Promise((r) => setTimeout(r, 100));
    }
    const reports = await Promise.all(workers);
    const answered = probes.filter((p) => p.ok);
    const times = answered.map((p) => p.ms).sort((a, b) => a - b);
    let longestGap = 0;
    let gap = 0;
    for (const p of probes) {
      gap = p.ok ? 0 : gap + 1;
      longestGap = Math.max(longestGap, gap);
    }
    const sum = (key: keyof WorkerReport) => reports.reduce((n, r) => n + (r[key] ?? 0), 0);
    console.log(
      JSON.stringify(
        {
          slowConnections: { attempted: sum('attempted'), connected: sum('connected'), openAtEnd: sum('openAtEnd'), closedByServer: sum('closedByServer'), failed: sum('failed') },
          probes: { sent: probes.length, answered: answered.length, longestFailedRun: longestGap, ms: { p50: +percentile(times, 50).toFixed(1), p99: +percentile(times, 99).toFixed(1), max: +(times.at(-1) ?? NaN).toFixed(1) } },
          stalledBodyHeldSeconds: await stalled,
          serverRssMb: { peakSampled: peakRss, ...residentMb(candor.pid) },
          ulimitNofile: NOFILE,
          workers: WORKERS,
        },
        null,
        2,
      ),
    );
  } finally {
    await candor.stop();
  }
}
