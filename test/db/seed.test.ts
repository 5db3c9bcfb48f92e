import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { FAILOVER_TITLE, ONGOING_TITLE, seedDemo } from '../../db/seed/demo.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.UTC(2025, 2, 30, 9, 41); // the morning after a DST change in Europe/Amsterdam
const render = (md: string) => '<p>' + md + '</p>';

let dir: string;
let db: Db;

const TABLES = [
  'site_settings', 'sla_policies', 'component_groups', 'components', 'incidents', 'incident_updates',
  'incident_update_components', 'impact_periods', 'impact_corrections', 'postmortems', 'maintenances',
  'maintenance_components', 'maintenance_updates', 'audit_log',
];
const counts = () =>
  Object.fromEntries(
    TABLES.map((t) => [t, (db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-seed-'));
  db = openDatabase(path.join(dir, 'candor.db'), path.resolve('db/migrations'));
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  it('seeds an empty database once, then leaves it alone', () => {
    expect(seedDemo(db, { now, render })).toBe(true);
    const before = counts();
    expect(before.incidents).toBeGreaterThan(0);
    expect(seedDemo(db, { now: now + DAY, render })).toBe(false);
    expect(counts()).toEqual(before);
  });

  it('describes Postwise with six components and two SLA policies', () => {
    const site = db.select().from(s.siteSettings).get()!;
    expect(site).toMatchObject({ name: 'Postwise', timeZone: 'Europe/Amsterdam', historyDays: 90 });
    const policies = db.select().from(s.slaPolicies).all();
    expect(policies.map((p) => p.name).sort()).toEqual(['Console and API SLA', 'Email platform SLA']);
    expect(policies.find((p) => p.id === site.defaultSlaPolicyId)?.name).toBe('Email platform SLA');
    const components = db.select().from(s.components).all();
    expect(components).toHaveLength(6);
    for (const c of components) expect(c.startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const audit = db.select().from(s.auditLog).all();
    expect(audit).toEqual([expect.objectContaining({ action: 'demo.seed', entityType: 'site', entityId: site.publicId, actorLabel: 'system' })]);
  });

  it('is deterministic given now, apart from public ids', () => {
    const other = openDatabase(path.join(dir, 'again.db'), path.resolve('db/migrations'));
    try {
      seedDemo(other, { now, render });
      const dump = (d: Db) =>
        TABLES.map((t) => d.$client.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()).map((rows) =>
          (rows as Record<string, unknown>[]).map(({ public_id: _p, entity_id: _e, ...rest }) => rest),
        );
      expect(dump(other)).toEqual(dump(db));
    } finally {
      other.$client.close();
    }
  });

  it('has Webhooks start within the bar window, so its early bars have no data', () => {
    const webhooks = db.select().from(s.components).where(eq(s.components.slug, 'webhooks')).get()!;
    const ninetyDaysAgo = new Date(now - 90 * DAY).toISOString().slice(0, 10);
    expect(webhooks.startDate! > ninetyDaysAgo).toBe(true);
  });

  it('has at least 90 days of history', () => {
    const oldest = Math.min(...db.select().from(s.incidents).all().map((i) => i.startedAt));
    expect(oldest).toBeLessThanOrEqual(now - 90 * DAY);
  });

  it('has exactly one unresolved incident, with an open period', () => {
    const open = db.select().from(s.incidents).all().filter((i) => i.resolvedAt === null);
    expect(open).toHaveLength(1);
    const incident = open[0]!;
    expect(incident).toMatchObject({ title: ONGOING_TITLE, status: 'identified', mitigatedAt: null, impactEndedAt: null });
    const periods = db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, incident.id)).all();
    expect(periods.some((p) => p.endedAt === null)).toBe(true);
  });

  it('has the failover incident: 3 h to fail over, over 2 days of customer impact', () => {
    const incident = db.select().from(s.incidents).where(eq(s.incidents.title, FAILOVER_TITLE)).get()!;
    expect(incident.impact).toBe('critical');
    expect(incident.mitigatedAt! - incident.startedAt).toBe(3 * HOUR);
    expect(incident.impactEndedAt! - incident.startedAt).toBeGreaterThan(2 * DAY);
    const updates = db.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.incidentId, incident.id)).all();
    expect(updates.map((u) => u.kind)).toEqual(expect.arrayContaining(['apology', 'correction']));
    expect(Math.min(...updates.map((u) => u.displayAt)) - incident.startedAt).toBe(47 * MIN);
    const postmortem = db.select().from(s.postmortems).where(eq(s.postmortems.incidentId, incident.id)).get()!;
    expect(postmortem.status).toBe('published');
    expect(postmortem.publishedAt).not.toBeNull();
    expect(postmortem.bodyMd).toContain('## Why we reported "3 hours"');
    const corrections = db.select().from(s.impactCorrections).where(eq(s.impactCorrections.incidentId, incident.id)).all();
    expect(corrections).toHaveLength(1);
    expect(JSON.parse(corrections[0]!.after).impactEndedAt).toBe(incident.impactEndedAt);
  });

  it('keeps the timeline consistent', () => {
    const periods = db.select().from(s.impactPeriods).all();
    for (const p of periods) if (p.endedAt !== null) expect(p.endedAt).toBeGreaterThanOrEqual(p.startedAt);

    for (const incident of db.select().from(s.incidents).all()) {
      const own = periods.filter((p) => p.incidentId === incident.id);
      const updates = db.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.incidentId, incident.id)).all()
        .sort((a, b) => a.displayAt - b.displayAt);
      expect(incident.status).toBe(updates.at(-1)!.status);
      expect(incident.monitoringAt).toBe(updates.find((u) => u.status === 'monitoring')?.displayAt ?? null);
      for (const u of updates) expect(u.bodyHtml).toBe(render(u.bodyMd));
      if (incident.resolvedAt !== null) {
        expect(own.every((p) => p.endedAt !== null)).toBe(true);
        expect(incident.resolvedAt).toBe(updates.find((u) => u.status === 'resolved')!.displayAt);
        expect(incident.resolvedAt).toBeLessThanOrEqual(now);
        if (own.length > 0) expect(incident.impactEndedAt).toBe(Math.max(...own.map((p) => p.endedAt!)));
      }
      for (const p of own) expect(p.startedAt).toBeGreaterThanOrEqual(incident.startedAt);
    }
  });

  it('has past and upcoming maintenance', () => {
    const windows = db.select().from(s.maintenances).all();
    expect(windows.filter((m) => m.status === 'completed')).toHaveLength(2);
    const upcoming = windows.filter((m) => m.status === 'scheduled');
    expect(upcoming).toHaveLength(1);
    expect(upcoming[0]!.scheduledStart).toBeGreaterThan(now);
    const periods = db.select().from(s.impactPeriods).all().filter((p) => p.maintenanceId !== null);
    expect(periods.every((p) => p.level === 'under_maintenance' && p.endedAt !== null)).toBe(true);
  });

  it('satisfies every foreign key', () => {
    expect(db.$client.pragma('foreign_key_check')).toEqual([]);
  });
});
