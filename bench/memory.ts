// `npm run bench:memory`: resident memory of the server under cache-busting and a crawl of the
// large data set (CANDOR_DB, default /tmp/candor-large.db; make it with
// `CANDOR_DB=/tmp/candor-large.db npm run db:seed -- --large`). For BENCH_MEMORY_SECONDS (default
// 60, at most 180), 16 loopback clients ask for every incident page, every history page and month
// of uptime, and `/` and `/history` with random query strings. Reports the server's peak resident
// memory (VmHWM). The goal of issue 12 is under 300 MB.
//
// On a busy machine fewer requests fit in the time, and the peak depends on how far the crawl got:
// BENCH_MEMORY_REQUESTS=N runs until N requests are answered instead (at most 300 s), so runs made
// under different loads compare.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { residentMb, startCandor } from './candor-process.ts';

const SOURCE = process.env.CANDOR_DB ?? '/tmp/candor-large.db';
const REQUESTS = process.env.BENCH_MEMORY_REQUESTS ? Number(process.env.BENCH_MEMORY_REQUESTS) : Infinity;
const SECONDS = Number.isFinite(REQUESTS) ? 300 : Math.min(180, Number(process.env.BENCH_MEMORY_SECONDS ?? 60));
if (!fs.existsSync(SOURCE)) throw new Error(`${SOURCE} does not exist; make it with: CANDOR_DB=${SOURCE} npm run db:seed -- --large`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-memory-'));
const databasePath = path.join(dir, 'candor.db');
fs.copyFileSync(SOURCE, databasePath);
const db = new Database(databasePath, { readonly: true });
const incidents = (db.prepare('select public_id from incidents').pluck().all() as string[]).map((id) => `/incidents/${id}`);
const components = (db.prepare('select slug from components').pluck().all() as string[]).flatMap((slug) => [`/components/${slug}`, `/components/${slug}.rss`]);
db.close();
const months = Array.from({ length: 120 }, (_, i) => {
  const d = new Date(Date.UTC(2026, 11 - i, 1));
  return `/uptime?month=${d.toISOString().slice(0, 7)}`;
});
const pages = Array.from({ length: 60 }, (_, i) => `/history?page=${i + 1}`);
const crawl = [...incidents, ...components, ...months, ...pages];
const busting = () => (Math.random() < 0.5 ? `/?cb=${Math.random()}` : `/history?page=2&utm_source=${Math.random()}`);

const candor = await startCandor({ CANDOR_DB: databasePath });
try {
  const started = Date.now();
  const until = started + SECONDS * 1000;
  let next = 0;
  let requests = 0;
  let errors = 0;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, residentMb(candor.pid).now)), 200);
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until && next < REQUESTS) {
        const url = next % 3 === 0 ? busting() : crawl[next % crawl.length]!;
        next++;
        const res = await fetch(candor.url + url, { headers: { 'Accept-Encoding': 'br, gzip' } }).catch(() => null);
        if (!res || res.status >= 500) errors++;
        await res?.arrayBuffer();
        requests++;
      }
    }),
  );
  clearInterval(sampler);
  const stats = (await (await fetch(`${candor.url}/healthz`)).json()) as unknown;
  console.log(JSON.stringify({ seconds: Math.round((Date.now() - started) / 1000), requests, errors, distinctUrlsCrawled: Math.min(next, crawl.length), residentMb: { peakSampled: peak, ...residentMb(candor.pid) }, health: stats, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) }, null, 2));
} finally {
  await candor.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
