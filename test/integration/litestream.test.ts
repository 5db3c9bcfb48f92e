// Candor under Litestream (the real binary: on PATH, or LITESTREAM_BIN; .ci/run installs it): replicate
// the live database to a file replica while Candor serves and writes, restore it, and serve the
// restored copy from a standby. Object storage is out of reach here; the file replica runs the same
// replication code (snapshots and WAL segments), only the storage client differs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { adminClient } from '../support/admin-client.ts';
import { createStaff, signIn } from '../support/staff.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const binary = process.env.LITESTREAM_BIN ?? 'litestream';
const available = spawnSync(binary, ['version'], { encoding: 'utf8' }).status === 0;
if (!available && process.env.CI === 'true') throw new Error(`Litestream is not installed (${binary}): .ci/run installs it`);
if (!available) console.warn('Skipping the Litestream test: no litestream on PATH (see README, "Continuous backup with Litestream", to install it).');

describe.skipIf(!available)('Candor under Litestream', () => {
  let primary: RunningServer;
  let standby: RunningServer | undefined;
  let litestream: ChildProcess;
  let litestreamOutput = '';
  let dir: string;
  let config: string;

  beforeAll(async () => {
    primary = await startServer({ CANDOR_LITESTREAM: 'true' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-litestream-'));
    config = path.join(dir, 'litestream.yml');
    // The example configuration with the S3 replica swapped for a file replica.
    const example = fs.readFileSync('litestream.yml', 'utf8');
    const replica = `      - type: file\n        path: ${path.join(dir, 'replica')}\n        sync-interval: 1s\n`;
    fs.writeFileSync(config, example.replace(/ {6}- type: s3\n(?: {8}.*\n)+/, replica));
    litestream = spawn(binary, ['replicate', '-config', config], { env: { ...process.env, CANDOR_DB: primary.databasePath }, stdio: ['ignore', 'pipe', 'pipe'] });
    litestream.stdout!.on('data', (d) => (litestreamOutput += d));
    litestream.stderr!.on('data', (d) => (litestreamOutput += d));
  });

  afterAll(async () => {
    if (litestream && litestream.exitCode === null) {
      const exited = new Promise((r) => litestream.once('exit', r));
      litestream.kill('SIGTERM');
      await exited;
    }
    await standby?.stop();
    await primary?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns automatic checkpoints off for Litestream, and only then', () => {
    const file = path.join(os.tmpdir(), `candor-ckpt-${process.pid}.db`);
    try {
      const withLitestream = openDatabase(file, path.resolve('db/migrations'), { autoCheckpoint: false });
      expect(withLitestream.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect(withLitestream.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
      withLitestream.$client.close();
      const alone = openDatabase(file, path.resolve('db/migrations'));
      expect(alone.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      alone.$client.close();
    } finally {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    }
  });

  it('replicates writes made while Candor serves, and a standby serves the restored copy', async () => {
    // A write from another process (as npm run user:create makes) and one through the workspace.
    await createStaff(primary.databasePath, { email: 'replica-owner@example.com', password: 'litestream passphrase 1', role: 'owner' });
    const admin = adminClient(primary.url, await signIn(primary.url, 'replica-owner@example.com', 'litestream passphrase 1'));
    const saved = await admin.post('/admin/settings', {
      name: 'Replicated Status',
      url: 'https://status.example.test',
      timeZone: 'Europe/Amsterdam',
      accentColor: '#2f5fd0',
      historyDays: '90',
      defaultSlaPolicy: '',
    });
    expect(saved.status).toBe(303);
    const incidents = ((await (await fetch(`${primary.url}/api/v2/incidents.json`)).json()) as { incidents: unknown[] }).incidents.length;

    // Restore until the replica has caught up with the settings change (sync-interval 1 s).
    const restored = path.join(dir, 'restored.db');
    const deadline = Date.now() + 30_000;
    for (;;) {
      fs.rmSync(restored, { force: true });
      const run = spawnSync(binary, ['restore', '-config', config, '-o', restored, primary.databasePath], { env: { ...process.env, CANDOR_DB: primary.databasePath }, encoding: 'utf8' });
      if (run.status === 0 && fs.existsSync(restored)) {
        const copy = new Database(restored, { readonly: true });
        const name = (copy.prepare('select name from site_settings where id = 1').get() as { name: string } | undefined)?.name;
        copy.close();
        if (name === 'Replicated Status') break;
      }
      if (Date.now() > deadline) throw new Error(`the replica did not catch up:\n${run.stderr}\n${litestreamOutput}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const copy = new Database(restored, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('select count(*) as n from users').get() as { n: number }).n).toBe(1);
    copy.close();

    // The standby: production mode on the restored file, so nothing is seeded over it.
    standby = await startServer({ CANDOR_DB: restored, NODE_ENV: 'production' });
    const status = (await (await fetch(`${standby.url}/api/v2/status.json`)).json()) as { page: { name: string; time_zone: string } };
    expect(status.page).toMatchObject({ name: 'Replicated Status', time_zone: 'Europe/Amsterdam' });
    const standbyIncidents = ((await (await fetch(`${standby.url}/api/v2/incidents.json`)).json()) as { incidents: unknown[] }).incidents.length;
    expect(standbyIncidents).toBe(incidents);

    // Candor never checkpointed behind Litestream's back: one generation for the whole run.
    expect(litestreamOutput.match(/new generation/g) ?? []).toHaveLength(1);
  });
});
