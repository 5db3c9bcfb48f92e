// Set-up shared by the HTTP and browser tests, once per run:
//  - builds the Astro server, so they exercise exactly what `npm start` serves
//    (CANDOR_SKIP_BUILD=1 reuses an existing build);
//  - prepares one database with the demo data (migrated, seeded, as a first `npm start` does) and
//    one without, which each test server starts from a copy of instead of preparing its own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    demoDatabase: string;
    emptyDatabase: string;
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

// The build and the two databases are independent: they are made at the same time, so that the
// second core is not idle while the tests wait for them.
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-db-templates-'));
  const prepare = async (name: string, demo: boolean): Promise<string> => {
    const file = path.join(dir, name);
    const env = { ...process.env, CANDOR_DB: file, CANDOR_DEMO: String(demo), NODE_ENV: 'test' };
    await runScript(['scripts/prepare-database.ts'], `preparing ${name}`, env);
    return file;
  };
  const astro = path.resolve('node_modules/astro/bin/astro.mjs');
  const [, demo, empty] = await Promise.all([
    process.env.CANDOR_SKIP_BUILD === '1' ? undefined : runScript([astro, 'build'], 'astro build'),
    prepare('demo.db', true),
    prepare('empty.db', false),
  ]);
  project.provide('demoDatabase', demo);
  project.provide('emptyDatabase', empty);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
