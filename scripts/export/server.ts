// Starts Candor for an export the way `npm start` does (scripts/start.mjs: build when stale, prepare
// the database, serve), on 127.0.0.1 and a free port, and waits until /healthz answers.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../free-port.ts';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartedCandor {
  origin: string;
  /** Resolves when the server has exited; rejects never. */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** The script to run (default scripts/start.mjs). */
  script?: string;
  /** Extra environment (CANDOR_DB, CANDOR_OUT_DIR…); HOST and PORT are set here. */
  env?: NodeJS.ProcessEnv;
  /** Each line the server prints. */
  log?: (line: string) => void;
  /** How long to wait for /healthz, building included (default 5 minutes). */
  timeoutMs?: number;
}

export async function startCandor(options: StartOptions = {}): Promise<StartedCandor> {
  const port = await freePort();
  const log = options.log ?? (() => {});
  const child = spawn(process.execPath, [options.script ?? path.join(projectRoot, 'scripts/start.mjs')], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      log(line);
    }
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    if (done) throw new Error(`Candor exited before it was ready:\n${recent.join('\n')}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      await res.body?.cancel();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Candor did not answer /healthz within ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s:\n${recent.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { origin, exited, stop };
}
