import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { seedLarge } from '../../db/seed/large.ts';
import { getStatusPage } from '../../src/server/status-page.ts';
import { getUptimePage } from '../../src/server/uptime-page.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-22T09:00:00Z');
const options = { now, render: (md: string) => `<p>${md}</p>`, years: 2, components: 12, incidents: 400, updatesPerIncident: 5 };
let dir: string;
let db: Db;
const open = (name: string) => openDatabase(path.join(dir, name), path.resolve('db/migrations'));
const all = <T>(sql: string) => db.$client.prepare(sql).all() as T[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-large-'));
  db = open('large.db');
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('seedLarge', () => {
  it('writes the requested sizes with intact foreign keys, and refuses a non-empty database', () => {
    const counts = seedLarge(db, options);
    expect(counts).toMatchObject({ components: 12, incidents: 400, updates: 2000, maintenances: 12 });
    expect(counts.periods).toBeGreaterThan(400);
    expect(all('PRAGMA foreign_key_check')).toEqual([]);
    expect(all<{ n: number }>('SELECT count(*) AS n FROM incident_updates')[0]!.n).toBe(2000);
    expect(() => seedLarge(db, options)).toThrow('The database is not empty.');
    expect(all<{ n: number }>('SELECT count(*) AS n FROM incidents')[0]!.n).toBe(400);
  });

  it('keeps every incident’s timeline consistent and over before now', () => {
    const incidents = all<{ id: number; impact: string; started_at: number; impact_ended_at: number | null; resolved_at: number; status: string }>(
      'SELECT id, impact, started_at, impact_ended_at, resolved_at, status FROM incidents',
    );
    const periods = all<{ incident_id: number; started_at: number; ended_at: number }>(
      'SELECT incident_id, started_at, ended_at FROM impact_periods WHERE incident_id IS NOT NULL',
    );
    const firstUpdates = new Map(
      all<{ incident_id: number; first: number }>('SELECT incident_id, min(display_at) AS first FROM incident_updates GROUP BY incident_id').map(
        (r) => [r.incident_id, r.first],
      ),
    );
    const endOf = new Map<number, number>();
    for (const p of periods) endOf.set(p.incident_id, Math.max(endOf.get(p.incident_id) ?? 0, p.ended_at));
    for (const i of incidents) {
      expect(i.status).toBe('resolved');
      expect(i.resolved_at).toBeLessThan(now);
      expect(firstUpdates.get(i.id)).toBeGreaterThan(i.started_at);
      expect(i.impact_ended_at).toBe(endOf.get(i.id) ?? null);
      expect(i.impact === 'none').toBe(!endOf.has(i.id));
    }
    expect(Math.min(...incidents.map((i) => i.started_at))).toBeGreaterThanOrEqual(now - 2 * 366 * DAY);
  });

  it('is reproducible apart from public ids', () => {
    const other = open('again.db');
    try {
      seedLarge(other, options);
      const dump = (d: Db) =>
        ['incidents', 'incident_updates', 'impact_periods', 'maintenances', 'components'].map((t) =>
          (d.$client.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all() as Record<string, unknown>[]).map(({ public_id: _, ...rest }) => rest),
        );
      expect(dump(other)).toEqual(dump(db));
    } finally {
      other.$client.close();
    }
  });

  it('serves the status and uptime pages', () => {
    const status = getStatusPage(db, now);
    expect(status.tree.flatMap((e) => (e.kind === 'group' ? e.components : [e.component]))).toHaveLength(12);
    const uptime = getUptimePage(db, { year: 2026, month: 6 }, now);
    expect(uptime.rows).toHaveLength(12);
    expect(uptime.response.compliance.counted).toBeGreaterThan(0);
  });
});
