// Read-model timings at growing history sizes: is the home page's cost flat as history grows?
// Then the whole render of / on the large data set through the server's render worker, as after
// every write (npm run bench reports the same over HTTP, with fewer samples).
// Run: npm run bench:render  (prints the median of 20 runs after 3 warm-ups; 100 worker renders)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../db/client.ts';
import { seedDemo } from '../db/seed/demo.ts';
import { seedLarge } from '../db/seed/large.ts';
import { parseMonthKey, shiftMonth } from '../src/domain/calendar-month.ts';
import { monthKey } from '../src/domain/time-zone.ts';
import { getComponentPage } from '../src/server/component-page.ts';
import { renderMarkdown } from '../src/server/markdown.ts';
import { getStatusPage } from '../src/server/status-page.ts';
import { getUptimePage } from '../src/server/uptime-page.ts';
import { RenderPool } from '../src/server/http/render-pool.ts';
import { buildIfStale } from '../scripts/build-if-stale.mjs';

const RUNS = 20;
const WORKER_RENDERS = 100;
const WARM_UPS = 3;
const now = Date.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-'));

interface DataSet {
  name: string;
  slug: string;
  seed: (db: Db) => void;
}

const sets: DataSet[] = [
  { name: 'demo: 6 components, 120 days, 9 incidents', slug: 'smtp-relay', seed: (db) => void seedDemo(db, { now, render: renderMarkdown }) },
  {
    name: 'large, 1 year: 50 components, 1,000 incidents, 10,000 updates',
    slug: 'service-01',
    seed: (db) => void seedLarge(db, { now, render: renderMarkdown, years: 1, incidents: 1_000 }),
  },
  {
    name: 'large, 10 years: 50 components, 10,000 incidents, 100,000 updates',
    slug: 'service-01',
    seed: (db) => void seedLarge(db, { now, render: renderMarkdown }),
  },
];

function median(run: () => unknown): number {
  for (let i = 0; i < WARM_UPS; i++) run();
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return (times[RUNS / 2 - 1]! + times[RUNS / 2]!) / 2;
}

try {
  const rows: Record<string, string>[] = [];
  for (const [i, set] of sets.entries()) {
    const db = openDatabase(path.join(dir, `set-${i}.db`), path.resolve('db/migrations'));
    set.seed(db);
    const tz = getStatusPage(db, now).site.timeZone;
    const current = monthKey(now, tz);
    // The oldest month the selector offers: its periods query reads everything ended since.
    const oldest = parseMonthKey(getUptimePage(db, null, now).choices.at(-1)!.key)!;
    const ms = (f: () => unknown) => `${median(f).toFixed(2)} ms`;
    rows.push({
      'data set': set.name,
      'getStatusPage (90-day bars)': ms(() => getStatusPage(db, now)),
      'getUptimePage (this month)': ms(() => getUptimePage(db, null, now)),
      'getUptimePage (11 months ago)': ms(() => getUptimePage(db, shiftMonth(current, -11), now)),
      'getUptimePage (oldest month)': ms(() => getUptimePage(db, oldest, now)),
      'getComponentPage (12 months)': ms(() => getComponentPage(db, set.slug, now)),
    });
    db.$client.close();
  }
  console.log(`Median of ${RUNS} runs (after ${WARM_UPS} warm-ups), Node ${process.version}:`);
  for (const row of rows) {
    console.log(`\n${row['data set']}`);
    for (const [label, value] of Object.entries(row).slice(1)) console.log(`  ${label.padEnd(32)} ${value}`);
  }

  // The worker reads the database the configuration names, as in the server (getDb).
  if (!buildIfStale()) process.exit(1);
  process.env.CANDOR_DB = path.join(dir, `set-${sets.length - 1}.db`);
  const pool = new RenderPool({ entry: path.resolve('dist/server/entry.mjs') });
  try {
    await pool.ready();
    for (let i = 0; i < 10; i++) await pool.render('/');
    const cpu = process.cpuUsage();
    const times: number[] = [];
    for (let i = 0; i < WORKER_RENDERS; i++) {
      const start = performance.now();
      await pool.render('/');
      times.push(performance.now() - start);
    }
    // The whole process: the worker's garbage collection runs partly on V8's helper threads.
    const used = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.ceil(q * times.length) - 1]!.toFixed(1);
    console.log(`\n/ on the render worker, ${sets.at(-1)!.name}, ${WORKER_RENDERS} renders one after another (load average ${os.loadavg()[0]!.toFixed(1)}):`);
    console.log(`  median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; CPU ${((used.user + used.system) / 1000 / WORKER_RENDERS).toFixed(1)} ms per render`);
  } finally {
    await pool.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
