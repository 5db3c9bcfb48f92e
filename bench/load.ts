// Load generators for `npm run bench`: wrk (Debian's package, one thread, as the nginx comparison in
// the issue was measured) when it is installed, otherwise autocannon (which runs in Node and takes a
// core of its own, so its figures are lower; the bench says which one it used).
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Load {
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Paths requested in turn, each connection cycling through them; default: the URL's own. */
  paths?: readonly string[];
}

export function findWrk(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** wrk prints 1.23us / 4.56ms / 1.2s: in milliseconds. */
function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s|m)/.exec(text);
  if (!m) return NaN;
  const value = Number(m[1]);
  return Math.round(value * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as const)[m[2] as 'us' | 'ms' | 's' | 'm'] * 100) / 100;
}

export function parseWrk(output: string): Load {
  const requestsPerSec = Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN));
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(output)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(output)?.[1] ?? '');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socket ? Number(socket[1]) + Number(socket[3]) + Number(socket[4]) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  return { requestsPerSec, p50, p99, errors, non2xx };
}

function luaScript(paths: readonly string[]): string {
  const list = paths.map((p) => JSON.stringify(p)).join(', ');
  // Each connection starts at a different place in the list, then cycles through it.
  return `local paths = { ${list} }
local counter = 0
setup = function(thread) end
init = function(args) end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
`;
}

async function runWrk(wrk: string, url: string, options: LoadOptions): Promise<Load> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '5s'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  let script: string | null = null;
  if (options.paths) {
    script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'candor-wrk-')), 'paths.lua');
    fs.writeFileSync(script, luaScript(options.paths));
    args.push('-s', script);
  }
  args.push(url);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk failed:\n${out}`))));
  });
  if (script) fs.rmSync(path.dirname(script), { recursive: true, force: true });
  return parseWrk(output);
}

async function runAutocannon(url: string, options: LoadOptions): Promise<Load> {
  const base = new URL(url);
  const result = await autocannon({
    url: base.origin,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: (options.paths ?? [base.pathname + base.search]).map((p) => ({ method: 'GET', path: p })),
  });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function loader(wrk: string | null): (url: string, options: LoadOptions) => Promise<Load> {
  return (url, options) => (wrk ? runWrk(wrk, url, options) : runAutocannon(url, options));
}
