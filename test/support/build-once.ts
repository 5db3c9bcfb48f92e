// Set-up shared by the HTTP and browser tests, once per run:
//  - builds the Astro server, so they exercise exactly what `npm start` serves
//    (CANDOR_SKIP_BUILD=1 reuses an existing build);
//  - prepares one database with the demo data (migrated, seeded, as a first `npm start` does) and
//    one without, which each test server starts from a copy of instead of preparing its own.
import { spawnSync } from 'node:child_process';
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

export default function setup(project: TestProject): () => void {
  if (process.env.CANDOR_SKIP_BUILD !== '1') {
    const astro = path.resolve('node_modules/astro/bin/astro.mjs');
    const result = spawnSync(process.execPath, [astro, 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error('astro build failed; see the output above');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-db-templates-'));
  const prepare = (name: string, demo: boolean): string => {
    const file = path.join(dir, name);
    const prepared = spawnSync(process.execPath, ['scripts/prepare-database.ts'], {
      env: { ...process.env, CANDOR_DB: file, CANDOR_DEMO: String(demo), NODE_ENV: 'test' },
      encoding: 'utf8',
    });
    if (prepared.status !== 0) throw new Error(`preparing ${name} failed:\n${prepared.stdout}${prepared.stderr}`);
    return file;
  };
  project.provide('demoDatabase', prepare('demo.db', true));
  project.provide('emptyDatabase', prepare('empty.db', false));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
