// The pages' and /api/v2 documents' period, maintenance and incident queries must be index
// searches, never table scans, so their cost follows what is shown rather than the whole history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import {
  getComponentsDocument,
  getIncidentsDocument,
  getMaintenancesDocument,
  getStatusDocument,
  getSummaryDocument,
} from '../../src/server/api/status-api.ts';
import { getComponentPage } from '../../src/server/component-page.ts';
import { getStatusPage } from '../../src/server/status-page.ts';
import { getUptimePage } from '../../src/server/uptime-page.ts';

const now = Date.parse('2026-11-22T09:00:00Z');
let dir: string;
let db: Db;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-plans-'));
  db = openDatabase(path.join(dir, 'candor.db'), path.resolve('db/migrations'));
  seedDemo(db, { now, render: (md) => md });
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every SQL statement `run` prepares, by watching the driver. */
function statementsOf(run: () => void): string[] {
  const client = db.$client;
  const original = client.prepare;
  const seen: string[] = [];
  client.prepare = ((source: string) => {
    seen.push(source);
    return original.call(client, source);
  }) as typeof client.prepare;
  try {
    run();
  } finally {
    client.prepare = original;
  }
  return seen;
}

function planOf(source: string): string[] {
  const params = (source.match(/\?/g) ?? []).map(() => 0);
  return (db.$client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

const pages: [string, () => void][] = [
  ['status page', () => getStatusPage(db, now)],
  ['uptime page, current month', () => getUptimePage(db, null, now)],
  ['uptime page, a past month', () => getUptimePage(db, { year: 2026, month: 9 }, now)],
  ['component page', () => getComponentPage(db, 'smtp-relay', now)],
];

/** The /api/v2 documents, each as its endpoint asks for it. */
const apiDocuments: [string, () => void][] = [
  ['/api/v2/status.json', () => getStatusDocument(db, now)],
  ['/api/v2/summary.json', () => getSummaryDocument(db, now)],
  ['/api/v2/components.json', () => getComponentsDocument(db, now)],
  ['/api/v2/incidents.json', () => getIncidentsDocument(db, now, 'all')],
  ['/api/v2/incidents/unresolved.json', () => getIncidentsDocument(db, now, 'unresolved')],
  ['/api/v2/scheduled-maintenances.json', () => getMaintenancesDocument(db, now, 'all')],
  ['/api/v2/scheduled-maintenances/upcoming.json', () => getMaintenancesDocument(db, now, 'upcoming')],
  ['/api/v2/scheduled-maintenances/active.json', () => getMaintenancesDocument(db, now, 'active')],
];

describe('query plans', () => {
  it.each(pages)('%s: the period range query searches (component_id, ended_at)', (_name, run) => {
    const periodQueries = statementsOf(run).filter((q) => /from "impact_periods"/.test(q) && /"ended_at" >/.test(q));
    expect(periodQueries.length).toBeGreaterThan(0);
    for (const q of periodQueries) {
      const plan = planOf(q).filter((line) => /impact_periods/.test(line));
      expect(plan.length).toBeGreaterThan(0);
      for (const line of plan) expect(line).toMatch(/^SEARCH impact_periods USING INDEX impact_periods_component_end \(component_id=\? AND ended_at[=>]\?\)$/);
    }
  });

  it.each([...pages, ...apiDocuments])('%s: no query scans impact periods, maintenance or incidents', (_name, run) => {
    for (const q of statementsOf(run).filter((s) => /impact_periods|maintenances|incidents/.test(s))) {
      // A newest-first list with a limit walks an index in order and stops at the limit: bounded.
      // Its only filter may be the draft-visibility rule (drafts are few and private); any other
      // filter on such a walk (e.g. "status <> 'resolved'") may read the whole history.
      const bounded = / limit \?$/.test(q) && (!/ where /.test(q) || / where "incidents"\."draft" = \? order by /.test(q));
      for (const line of planOf(q)) {
        if (bounded && /^SCAN (maintenances|incidents) USING (COVERING )?INDEX \w+$/.test(line)) continue;
        expect(line, q).not.toMatch(/^SCAN (impact_periods|maintenances|incidents)\b/);
      }
    }
  });
});
