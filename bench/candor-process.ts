// A built Candor on a loopback port with its own temporary database, for the fault harnesses
// (bench/slowloris.ts, bench/lock.ts). The demo data is loaded; CANDOR_DB may point at another file.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { freePort } from '../scripts/free-port.ts';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';

export interface Candor {
  url: string;
  port: number;
  pid: number;
  databasePath: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

export async function startCandor(env: Record<string, string> = {}): Promise<Candor> {
  if (!buildIfStale()) throw new Error('the build failed; see above');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-harness-'));
  const databasePath = env.CANDOR_DB ?? path.join(dir, 'candor.db');
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/serve.ts'], {
    env: { ...SERVER_ENV, ...process.env, HOST: '127.0.0.1', PORT: String(port), CANDOR_DB: databasePath, CANDOR_DEMO: 'true', CANDOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Candor exited early:\n${output}`);
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`Candor did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    pid: child.pid!,
    databasePath,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Percentile of a sorted list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in MB. */
export function residentMb(pid: number): { now: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { now: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}
