// `npm run bench:lock`: another process holds the database's write lock for 10 s (as a backup, a
// migration or a stray `sqlite3` shell would) while readers ask for `/` and a tool posts incident
// updates through the write API. Before issue 12 every write waited 5 s for the lock on the one
// thread, and every reader waited with it. Reports how long `/` took during the hold (p50, p99,
// max) and what the writes were answered. Loopback only; about 15 s.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../db/client.ts';
import { createApiToken } from '../src/server/commands/api-tokens.ts';
import { SYSTEM_OWNER } from '../src/server/commands/users.ts';
import { percentile, startCandor } from './candor-process.ts';

const HOLD_MS = Number(process.env.BENCH_LOCK_MS ?? 10_000);

// The lock holder runs as its own process, like the backup or shell it stands for.
if (process.argv[2] === '--hold') {
  const db = new Database(process.argv[3]!);
  db.exec('BEGIN IMMEDIATE');
  console.log('holding');
  setTimeout(() => {
    db.exec('ROLLBACK');
    db.close();
    process.exit(0);
  }, Number(process.argv[4]));
} else {
  await main();
}

async function main(): Promise<void> {
  const candor = await startCandor();
  try {
    const tokenDb = openDatabase(candor.databasePath, path.resolve('db/migrations'));
    const { token } = createApiToken(tokenDb, SYSTEM_OWNER, { name: 'bench', scopes: ['incidents:write'] }, Date.now());
    tokenDb.$client.close();
    const api = (route: string, body: unknown) =>
      fetch(`${candor.url}${route}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const opened = (await (await api('/api/admin/incidents', { title: 'Bench: lock', impact: 'minor', message: 'Looking.' })).json()) as { incident: { id: string } };
    await fetch(`${candor.url}/`);

    const holder = spawn(process.execPath, [process.argv[1]!, '--hold', candor.databasePath, String(HOLD_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const held = new Promise((resolve) => holder.once('exit', resolve));
    let holding = true;
    void held.then(() => (holding = false));

    const healthDuring = fetch(`${candor.url}/healthz`).then((r) => r.json());
    const reads: number[] = [];
    const writes: Record<string, number> = {};
    const writer = (async () => {
      while (holding) {
        const started = performance.now();
        const res = await api(`/api/admin/incidents/${opened.incident.id}/updates`, { status: 'identified', message: 'Still looking.' });
        await res.arrayBuffer();
        const key = `${res.status} (${Math.round(performance.now() - started)} ms)`;
        writes[res.status] = (writes[res.status] ?? 0) + 1;
        if (writes[res.status] === 1) console.log(`first write answered ${key} ${res.headers.get('retry-after') ? `Retry-After: ${res.headers.get('retry-after')}` : ''}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    while (holding) {
      const started = performance.now();
      const res = await fetch(`${candor.url}/`);
      await res.arrayBuffer();
      reads.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer;
    reads.sort((a, b) => a - b);
    const result = {
      holdMs: HOLD_MS,
      reads: reads.length,
      readMs: { p50: +percentile(reads, 50).toFixed(1), p99: +percentile(reads, 99).toFixed(1), max: +reads.at(-1)!.toFixed(1) },
      writesByStatus: writes,
      healthDuring: await healthDuring,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await candor.stop();
  }
}
