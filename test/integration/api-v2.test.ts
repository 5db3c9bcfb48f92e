// The standard status API: every endpoint against the contract, with the demo data and with an
// empty database; GET and HEAD; CORS; ordering, caps and the meaning of each list.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveOverallStatus } from '../../src/domain/status.ts';
import { insertIncident } from '../support/db-rows.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { DOCUMENTS, type ApiComponent, type ApiIncident, type ApiMaintenance } from '../support/status-api-contract.ts';

const PATHS = Object.keys(DOCUMENTS) as (keyof typeof DOCUMENTS)[];

async function getDocument(server: RunningServer, path: keyof typeof DOCUMENTS) {
  const res = await fetch(`${server.url}/api/v2/${path}`);
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const json: unknown = await res.json();
  const parsed = DOCUMENTS[path].safeParse(json);
  expect(parsed.success ? [] : parsed.error.issues.slice(0, 5), path).toEqual([]);
  return json as Record<string, unknown>;
}

const isNewestFirst = (times: string[]) => times.every((t, i) => i === 0 || times[i - 1]! >= t);

function checkContract(label: string, getServer: () => RunningServer) {
  describe(`contract (${label})`, () => {
    it.each(PATHS)('GET /api/v2/%s matches the contract', async (path) => {
      await getDocument(getServer(), path);
    });

    it.each(PATHS)('HEAD /api/v2/%s answers 2xx with the GET validator and no body', async (path) => {
      const server = getServer();
      // Uncompressed, so Content-Length can be compared with the bytes GET returns.
      const identity = { 'Accept-Encoding': 'identity' };
      const get = await fetch(`${server.url}/api/v2/${path}`, { headers: identity });
      const head = await fetch(`${server.url}/api/v2/${path}`, { method: 'HEAD', headers: identity });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(head.headers.get('access-control-allow-origin')).toBe('*');
      expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
      expect(head.headers.get('content-length')).toBe(String((await get.arrayBuffer()).byteLength));
      expect(await head.text()).toBe('');
    });

    it('lists every list newest first, and every update newest first', async () => {
      const server = getServer();
      for (const path of ['incidents.json', 'incidents/unresolved.json', 'summary.json'] as const) {
        const list = (await getDocument(server, path)).incidents as ApiIncident[];
        expect(isNewestFirst(list.map((i) => i.started_at)), path).toBe(true);
        for (const i of list) expect(isNewestFirst(i.incident_updates.map((u) => u.display_at))).toBe(true);
      }
      for (const path of ['scheduled-maintenances.json', 'scheduled-maintenances/upcoming.json', 'summary.json'] as const) {
        const list = (await getDocument(server, path)).scheduled_maintenances as ApiMaintenance[];
        expect(isNewestFirst(list.map((m) => m.scheduled_for)), path).toBe(true);
      }
    });
  });
}

// One demo server for the file: the demo tests only read, and the caps test, which adds
// incidents, runs last.
let demo: RunningServer;
beforeAll(async () => {
  demo = await startServer();
});
afterAll(() => demo?.stop());

describe('with the demo data', () => {
  let server: RunningServer;
  beforeAll(() => {
    server = demo;
  });

  checkContract('demo', () => server);

  const db = () => new Database(server.databasePath, { readonly: true });

  it('describes the page, with updated_at = the last change anywhere', async () => {
    const { page } = (await getDocument(server, 'status.json')) as { page: Record<string, string> };
    const conn = db();
    const site = conn.prepare('select public_id, name, url, time_zone from site_settings').get() as Record<string, string>;
    const { latest } = conn
      .prepare(
        `select max((select max(updated_at) from site_settings), (select max(updated_at) from incidents),
                    (select max(updated_at) from maintenances), (select max(updated_at) from postmortems)) as latest`,
      )
      .get() as { latest: number };
    conn.close();
    expect(page).toEqual({
      id: site.public_id,
      name: 'Postwise',
      url: site.url!.replace(/\/+$/, ''),
      time_zone: 'Europe/Amsterdam',
      updated_at: new Date(latest).toISOString(),
    });
  });

  it('derives the overall status from leaf components, with the standard wording', async () => {
    const summary = (await getDocument(server, 'summary.json')) as { components: ApiComponent[]; status: unknown };
    const leaves = summary.components.filter((c) => !c.group);
    expect(summary.status).toEqual(deriveOverallStatus(leaves.map((c) => c.status)));
    // The demo's ongoing incident degrades Webhooks only.
    expect(summary.status).toEqual({ indicator: 'minor', description: 'Partially Degraded Service' });
    expect((await getDocument(server, 'status.json')).status).toEqual(summary.status);
  });

  it('lists groups as members whose children point back to them, positions 1-based among siblings', async () => {
    const { components } = (await getDocument(server, 'components.json')) as { components: ApiComponent[] };
    const groups = components.filter((c) => c.group);
    const leaves = components.filter((c) => !c.group);
    expect(groups.map((g) => g.name)).toEqual(['Sending', 'Receiving']);
    expect(leaves).toHaveLength(6);
    for (const g of groups) {
      const children = leaves.filter((c) => c.group_id === g.id);
      expect(g.group && g.components).toEqual(children.map((c) => c.id));
      expect(children.map((c) => c.position)).toEqual(children.map((_, i) => i + 1));
    }
    const topLevel = components.filter((c) => c.group_id === null);
    expect(topLevel.map((c) => c.position)).toEqual(topLevel.map((_, i) => i + 1));
    expect(components.find((c) => c.name === 'Webhooks')).toMatchObject({ status: 'degraded_performance', start_date: expect.any(String) });
    expect(groups.find((g) => g.name === 'Receiving')!.status).toBe('degraded_performance');
  });

  it('serves all incidents on incidents.json and only open ones on unresolved.json', async () => {
    const all = ((await getDocument(server, 'incidents.json')).incidents as ApiIncident[]);
    const open = ((await getDocument(server, 'incidents/unresolved.json')).incidents as ApiIncident[]);
    const conn = db();
    const count = (conn.prepare('select count(*) as n from incidents').get() as { n: number }).n;
    const openIds = (conn.prepare("select public_id from incidents where status <> 'resolved'").all() as { public_id: string }[]).map((r) => r.public_id);
    conn.close();
    expect(all).toHaveLength(count);
    expect(open.map((i) => i.id).sort()).toEqual(openIds.sort());
    expect(open.every((i) => ['investigating', 'identified', 'monitoring'].includes(i.status))).toBe(true);
    expect(((await getDocument(server, 'summary.json')).incidents as ApiIncident[]).map((i) => i.id)).toEqual(open.map((i) => i.id));
  });

  it('writes the failover incident with its timeline, updates and affected components', async () => {
    const all = (await getDocument(server, 'incidents.json')).incidents as ApiIncident[];
    const failover = all.find((i) => i.name === 'Email delivery outage after Amsterdam datacentre failure')!;
    expect(failover).toMatchObject({ status: 'resolved', impact: 'critical' });
    expect(failover.shortlink).toBe(`http://localhost:4321/incidents/${failover.id}`);
    expect(Date.parse(failover.mitigated_at!) - Date.parse(failover.started_at)).toBe(3 * 3_600_000);
    expect(Date.parse(failover.impact_ended_at!) - Date.parse(failover.started_at)).toBe(54 * 3_600_000);
    expect(failover.components.map((c) => c.name).sort()).toEqual(['Inbound email', 'SMTP relay', 'Send API']);
    const first = failover.incident_updates.at(-1)!;
    expect(first.status).toBe('investigating');
    expect(first.body).toContain('**SMTP relay**');
    expect(first.affected_components).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'SMTP relay', old_status: 'operational', new_status: 'major_outage' })]),
    );
    expect(failover.incident_updates.filter((u) => u.affected_components === null).length).toBeGreaterThan(0);
  });

  it('splits maintenance into upcoming, active and all', async () => {
    const all = (await getDocument(server, 'scheduled-maintenances.json')).scheduled_maintenances as ApiMaintenance[];
    const upcoming = (await getDocument(server, 'scheduled-maintenances/upcoming.json')).scheduled_maintenances as ApiMaintenance[];
    const active = (await getDocument(server, 'scheduled-maintenances/active.json')).scheduled_maintenances as ApiMaintenance[];
    const summary = (await getDocument(server, 'summary.json')).scheduled_maintenances as ApiMaintenance[];
    expect(all.map((m) => m.name).sort()).toEqual(['Database upgrade for statistics', 'Inbound email storage migration', 'SMTP relay TLS certificate rotation']);
    expect(upcoming.map((m) => m.name)).toEqual(['Inbound email storage migration']);
    expect(upcoming[0]).toMatchObject({ status: 'scheduled', impact: 'maintenance', resolved_at: null, cancelled: false });
    expect(upcoming[0]!.components.map((c) => c.name)).toEqual(['Inbound email', 'Webhooks']);
    expect(active).toEqual([]);
    expect(summary.map((m) => m.id)).toEqual(upcoming.map((m) => m.id));
    const done = all.find((m) => m.name === 'Database upgrade for statistics')!;
    expect(done).toMatchObject({ status: 'completed' });
    expect(done.monitoring_at).not.toBeNull();
    expect(done.resolved_at).not.toBeNull();
  });
});

describe('with an empty database', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ CANDOR_DEMO: 'false' });
  });
  afterAll(() => server?.stop());

  checkContract('empty', () => server);

  it('answers empty lists and all systems operational', async () => {
    const summary = await getDocument(server, 'summary.json');
    expect(summary).toMatchObject({
      components: [],
      incidents: [],
      scheduled_maintenances: [],
      status: { indicator: 'none', description: 'All Systems Operational' },
    });
  });
});

/**
 * Waits until a document shows rows another process just wrote. The tests above read these
 * documents many times, and a page read by a crowd may be answered from its previous bytes for
 * under a second after a write (src/server/http/rendered-cache.ts, STALE_MS): a condition, not a pause.
 */
async function untilServed(server: RunningServer, path: keyof typeof DOCUMENTS, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await (await fetch(`${server.url}/api/v2/${path}`)).text()).includes(text)) {
    if (Date.now() > deadline) throw new Error(`/api/v2/${path} never showed ${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('caps', () => {
  let server: RunningServer;
  beforeAll(() => {
    server = demo;
  });

  it('lists at most 50 incidents, the newest', async () => {
    const now = Date.now();
    let newest = '';
    for (let i = 0; i < 55; i++) {
      newest = insertIncident(server.databasePath, {
        title: `Bulk ${i}`,
        status: 'investigating',
        startedAt: now - (60 - i) * 60_000,
        updates: [{ status: 'investigating', body: `Bulk ${i}`, at: now - (60 - i) * 60_000 }],
      });
    }
    await untilServed(server, 'incidents.json', '"Bulk ');
    await untilServed(server, 'incidents/unresolved.json', '"Bulk ');
    const all = (await getDocument(server, 'incidents.json')).incidents as ApiIncident[];
    const open = (await getDocument(server, 'incidents/unresolved.json')).incidents as ApiIncident[];
    expect(all).toHaveLength(50);
    expect(open).toHaveLength(50);
    expect(all[0]!.id).toBe(newest);
    expect(all.map((i) => i.name)).not.toContain('Bulk 0');
  });
});
