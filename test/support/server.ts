// Starts the built server (scripts/serve.ts over the build in OUT_DIR) on a free port with its own temporary
// database, the same way `npm start` serves it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

export interface RunningServer {
  url: string;
  dir: string;
  databasePath: string;
  /** Everything the server printed so far (its log lines). */
  output: () => string;
  stop: () => Promise<void>;
}

/** Where the suite's build lives (see test/support/build-once.ts). */
export const OUT_DIR = path.resolve(process.env.CANDOR_OUT_DIR ?? 'dist');

export interface StartOptions {
  /** When the server counts as up; by default once `/` answers below 500. */
  isReady?: (response: Response) => boolean;
  /** Run the server as another user (root can write any file, so read-only tests need one). */
  runAs?: { uid: number; gid: number };
  /** Keep the temporary directory (and database) when stopping: a test restarts on the same file. */
  keepDir?: boolean;
}

export async function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const isReady = options.isReady ?? ((res: Response) => res.status < 500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-test-'));
  const databasePath = path.join(dir, 'candor.db');
  // A database prepared once per run (test/support/build-once.ts), with or without the demo as this
  // server would load it, unless the test names its own: the server finds it migrated and set up,
  // as on any restart.
  const demo = env.CANDOR_DEMO === undefined ? env.NODE_ENV !== 'production' : env.CANDOR_DEMO === 'true';
  if (env.CANDOR_DB === undefined) fs.copyFileSync(inject(demo ? 'demoDatabase' : 'emptyDatabase'), databasePath);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.resolve('scripts/serve.ts')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), CANDOR_DB: databasePath, CANDOR_OUT_DIR: OUT_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options.runAs,
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  // A condition, not a stopwatch: on a loaded machine a cold start can take many seconds, so wait
  // as long as the hook may (just under the hook timeout in vitest.config.ts), not a guess at how fast it usually is.
  const deadline = Date.now() + 110_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/`);
      if (isReady(res)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // not left running after the test gave up on it
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    databasePath,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
