// Set-up shared by the HTTP and browser tests, once per run:
//  - builds the Astro server, so they exercise exactly what `npm start` serves
//    (CANDOR_SKIP_BUILD=1 reuses an existing build);
//  - prepares one database with the demo data (migrated, seeded, as a first `npm start` does) and
//    one without, which each test server starts from a copy of instead of preparing its own;
//  - starts one Chromium that the browser tests connect to (test/support/browser.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { launchSharedBrowser } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    demoDatabase: string;
    emptyDatabase: string;
    /** Where the run's Chromium listens (playwright's chromium.connect), '' without one. */
    browserEndpoint: string;
  }
}

/** Runs a Node script to its end; fails with what it printed when it fails. */
function runScript(args: string[], what: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed:\n${output}`))));
  });
}

// The build, the two databases and the browser are independent: they are made at the same time, so
// that the second core is not idle while the tests wait for them.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-db-templates-'));
  const prepare = async (name: string, demo: boolean): Promise<string> => {
    const file = path.join(dir, name);
    const env = { ...process.env, CANDOR_DB: file, CANDOR_DEMO: String(demo), NODE_ENV: 'test' };
    await runScript(['scripts/prepare-database.ts'], `preparing ${name}`, env);
    return file;
  };
  const astro = path.resolve('node_modules/astro/bin/astro.mjs');
  const browser = launchSharedBrowser();
  const closeBrowser = async () => (await browser.catch(() => null))?.close();
  try {
    const [, demo, empty, shared] = await Promise.all([
      process.env.CANDOR_SKIP_BUILD === '1' ? undefined : runScript([astro, 'build'], 'astro build'),
      prepare('demo.db', true),
      prepare('empty.db', false),
      browser,
    ]);
    project.provide('demoDatabase', demo);
    project.provide('emptyDatabase', empty);
    project.provide('browserEndpoint', shared?.wsEndpoint() ?? '');
  } catch (error) {
    await closeBrowser();
    throw error;
  }
  return async () => {
    await closeBrowser();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
