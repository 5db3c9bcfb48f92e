// `npm run import -- --from <url>` against real servers on loopback: recorded Statuspage
// documents (groups, an incident without components, a "postmortem" status, maintenance), and
// Candor's own /api/v2 read back into a fresh database and served again. A second run changes
// nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { freePort } from '../../scripts/free-port.ts';
import { importStatusPage, type ImportCounts } from '../../src/server/commands/import-status-page.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { fetchStatusPage, normaliseSource } from '../../src/server/import/status-page-documents.ts';
import { getIncidentPage } from '../../src/server/incident-page.ts';
import { ensureSiteSettings } from '../../src/server/site.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const FIXTURES = path.resolve('test/fixtures/statuspage');
const NOW = Date.parse('2026-12-01T12:00:00Z');
let fixtureServer: http.Server;
let fixtureUrl: string;
let dir: string;

/** What `npm run import` does, in this process (the CLI itself is run once below; each run of it costs a cold start). */
async function importInProcess(from: string, databasePath: string): Promise<ImportCounts> {
  const source = normaliseSource(from);
  const documents = await fetchStatusPage(source);
  return withDb(databasePath, (db) => {
    ensureSiteSettings(db, NOW);
    return importStatusPage(db, SYSTEM_OWNER, { source, documents }, NOW);
  });
}

function runImport(from: string, databasePath: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/import.ts', '--from', from], { env: { ...process.env, CANDOR_DB: databasePath }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const TABLES = ['component_groups', 'components', 'incidents', 'incident_updates', 'incident_update_components', 'impact_periods', 'maintenances', 'maintenance_updates', 'maintenance_components', 'postmortems'];
function counts(databasePath: string): Record<string, number> {
  const db = openDatabase(databasePath, path.resolve('db/migrations'));
  try {
    return Object.fromEntries(TABLES.map((t) => [t, (db.$client.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
  } finally {
    db.$client.close();
  }
}

function withDb<T>(databasePath: string, body: (db: Db) => T): T {
  const db = openDatabase(databasePath, path.resolve('db/migrations'));
  try {
    return body(db);
  } finally {
    db.$client.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-import-'));
  fixtureServer = http.createServer((req, res) => {
    const name = /^\/status\/api\/v2\/([a-z-]+\.json)$/.exec(req.url ?? '')?.[1];
    const file = name && path.join(FIXTURES, name);
    if (!file || !fs.existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(fs.readFileSync(file));
  });
  const port = await freePort();
  await new Promise<void>((r) => fixtureServer.listen(port, '127.0.0.1', r));
  // Under a path, with a trailing /api/v2 as people paste it.
  fixtureUrl = `http://127.0.0.1:${port}/status/api/v2/`;
});
afterAll(() => {
  fixtureServer?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('importing recorded Statuspage documents', () => {
  const databasePath = () => path.join(dir, 'fixtures.db');

  it('brings over groups, components, incidents with their updates, and maintenance', async () => {
    const run = await runImport(fixtureUrl, databasePath());
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('1 groups and 4 components new');
    expect(run.output).toContain('4 incidents new');
    withDb(databasePath(), (db) => {
      const group = db.select().from(s.componentGroups).get()!;
      expect(group).toMatchObject({ name: 'API', publicId: 'b13yz5g2cw10' });
      const members = db.select().from(s.components).where(eq(s.components.groupId, group.id)).orderBy(asc(s.components.position)).all();
      expect(members.map((c) => [c.name, c.slug, c.startDate])).toEqual([['REST API', 'rest-api', '2019-02-07'], ['SMTP submission', 'smtp-submission', '2019-02-07']]);
      expect(db.select({ slug: s.components.slug }).from(s.components).all().map((c) => c.slug)).toContain('inbound-routes-eu');

      // "postmortem" is resolved, with its post-mortem; levels follow the announced changes.
      const outage = getIncidentPage(db, 'w9t4g1k6m3hz', NOW);
      expect(outage.incident).toMatchObject({ status: 'resolved', impact: 'critical', importedFrom: 'http://127.0.0.1:' + new URL(fixtureUrl).port + '/status' });
      expect(outage.incident.startedAt).toBe(Date.parse('2026-10-03T06:58:00.000Z'));
      expect(outage.incident.components[0]!.periods).toEqual([
        { level: 'major_outage', startedAt: Date.parse('2026-10-03T07:12:09.950Z'), endedAt: Date.parse('2026-10-03T08:40:02.117Z') },
        { level: 'degraded_performance', startedAt: Date.parse('2026-10-03T08:40:02.117Z'), endedAt: Date.parse('2026-10-03T09:15:47.812Z') },
      ]);
      expect(outage.updates).toHaveLength(4);
      expect(outage.updates.every((u) => u.origin === 'import')).toBe(true);
      expect(outage.updates.at(-1)).toMatchObject({ displayAt: Date.parse('2026-10-03T07:12:09.950Z'), createdAt: Date.parse('2026-10-03T07:12:09.950Z') });
      // Posted there 14 min 9.95 s after the start: that is its time to first update here too.
      expect(outage.incident.durations.timeToFirstUpdate).toBe(Date.parse('2026-10-03T07:12:09.950Z') - Date.parse('2026-10-03T06:58:00.000Z'));
      expect(outage.postmortem?.bodyHtml).toContain('certificate on our internal load balancer expired');

      // No components: no impact periods, still its updates.
      const notice = getIncidentPage(db, 'h5y3c0w8kq2n', NOW);
      expect(notice.incident).toMatchObject({ status: 'resolved', impact: 'none', components: [] });
      expect(notice.updates.map((u) => u.status)).toEqual(['resolved', 'investigating']);

      // Components listed without announced changes: the level the impact suggests, start to resolution.
      const login = getIncidentPage(db, 'p3n8x5c1v7dq', NOW);
      expect(login.incident.components[0]!.periods).toEqual([
        { level: 'partial_outage', startedAt: Date.parse('2026-09-22T12:40:00.000Z'), endedAt: Date.parse('2026-09-22T13:49:19.990Z') },
      ]);

      const hardware = db.select().from(s.maintenances).where(eq(s.maintenances.publicId, 'a1s7d3f9g5hj')).get()!;
      expect(hardware).toMatchObject({ status: 'completed', actualStart: Date.parse('2026-10-18T02:00:04.100Z'), actualEnd: Date.parse('2026-10-18T03:34:12.790Z'), announcedAt: Date.parse('2026-10-01T09:00:00.000Z') });
      expect(db.select().from(s.maintenances).where(eq(s.maintenances.publicId, 'u6c2k8q4w0zn')).get()).toMatchObject({ status: 'scheduled', actualStart: null });
    });
  });

  it('changes nothing when run again', async () => {
    const before = counts(databasePath());
    expect(await importInProcess(fixtureUrl, databasePath())).toEqual({
      groups: { created: 0, updated: 1 },
      components: { created: 0, updated: 4 },
      incidents: { created: 0, updated: 4 },
      updates: { created: 0 },
      maintenance: { created: 0, updated: 2 },
    });
    expect(counts(databasePath())).toEqual(before);
  });

  it('refuses what is not a status page, importing nothing', async () => {
    const run = await runImport(`http://127.0.0.1:${new URL(fixtureUrl).port}/elsewhere`, path.join(dir, 'nothing.db'));
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Could not read .*\/elsewhere\/api\/v2: .*404.*Nothing was imported\./);
  });
});

describe('round trip through Candor’s own /api/v2', () => {
  let source: RunningServer;
  let copy: RunningServer | undefined;
  beforeAll(async () => {
    source = await startServer();
  });
  afterAll(async () => {
    await source?.stop();
    await copy?.stop();
  });

  // Starts a second server: more than the default 30 s on a busy machine.
  it('serves the same components, incidents and maintenance after importing them', { timeout: 90_000 }, async () => {
    const copyDb = path.join(dir, 'copy.db');
    const first = await importInProcess(source.url, copyDb);
    expect(first.incidents.created).toBeGreaterThan(0);
    const second = await importInProcess(source.url, copyDb);
    expect([second.incidents.created, second.maintenance.created, second.updates.created, second.components.created]).toEqual([0, 0, 0, 0]);

    copy = await startServer({ CANDOR_DB: copyDb, CANDOR_DEMO: 'false' });
    const get = async (server: RunningServer, doc: string) => (await fetch(`${server.url}/api/v2/${doc}`)).json();
    const [a, b] = [await get(source, 'components.json'), await get(copy, 'components.json')];
    const shape = (list: { id: string; name: string; group: boolean; group_id: string | null; position: number }[]) =>
      list.map((c) => ({ id: c.id, name: c.name, group: c.group, group_id: c.group_id, position: c.position }));
    expect(shape(b.components)).toEqual(shape(a.components));

    const incidents = (doc: { incidents: any[] }) =>
      doc.incidents.map((i) => ({
        id: i.id, name: i.name, status: i.status, impact: i.impact, started_at: i.started_at, resolved_at: i.resolved_at,
        components: i.components.map((c: { id: string }) => c.id),
        updates: i.incident_updates.map((u: any) => ({ status: u.status, body: u.body, display_at: u.display_at, affected: u.affected_components })),
      }));
    expect(incidents(await get(copy, 'incidents.json'))).toEqual(incidents(await get(source, 'incidents.json')));

    const windows = (doc: { scheduled_maintenances: any[] }) =>
      doc.scheduled_maintenances.map((m) => ({ id: m.id, name: m.name, status: m.status, scheduled_for: m.scheduled_for, scheduled_until: m.scheduled_until, updates: m.incident_updates.length }));
    expect(windows(await get(copy, 'scheduled-maintenances.json'))).toEqual(windows(await get(source, 'scheduled-maintenances.json')));
  });
});
