// Recording after the fact: back-dated updates and level changes, and past maintenance windows.
// The page says when each was recorded, time to first update counts from publication, and the
// audit log keeps both times.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import * as s from '../../db/schema.ts';
import { Invalid } from '../../src/server/errors.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../src/server/commands/post-incident-update.ts';
import { recordPastMaintenance } from '../../src/server/commands/record-past-maintenance.ts';
import { getIncidentPage } from '../../src/server/incident-page.ts';
import { getMaintenancePage } from '../../src/server/maintenance-page.ts';
import { EDITOR, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const MIN = 60_000;
const H = 60 * MIN;
// Recorded at 16:40 about events from 14:10 (UTC).
const now = Date.parse('2026-11-20T16:40:00Z');
const at = (hhmm: string) => Date.parse(`2026-11-20T${hhmm}:00Z`);
let t: CommandDb;

beforeEach(() => {
  t = openCommandDb(now);
});
afterEach(() => t.close());

const lastAudit = () => t.db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all().at(-1)!;
const fieldsOf = (fn: () => unknown) => {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(Invalid);
  return (error as Invalid).fields;
};

function openLate() {
  return openIncident(
    t.db,
    EDITOR,
    { title: 'Mail queue stuck', impact: 'critical', message: 'Mail is queueing.', startedAt: at('14:10'), displayAt: at('14:20'), components: [{ componentId: t.component('smtp-relay'), level: 'major_outage' }] },
    now,
  ).publicId;
}

describe('back-dated incident updates', () => {
  it('shows the back-dated time, but counts time to first update from publication', () => {
    const id = openLate();
    const page = getIncidentPage(t.db, id, now);
    expect(page.updates[0]).toMatchObject({ displayAt: at('14:20'), createdAt: now });
    // Customers were told at 16:40 when it was recorded, not at 14:20: 2 h 30 min after the start.
    expect(page.incident.firstUpdateAt).toBe(now);
    expect(page.incident.durations.timeToFirstUpdate).toBe(2 * H + 30 * MIN);
    expect(JSON.parse(lastAudit().after!)).toMatchObject({ displayAt: at('14:20'), recordedAt: now });
  });

  it('puts level changes, failover and monitoring at the back-dated time', () => {
    const id = openLate();
    postIncidentUpdate(t.db, EDITOR, id, { status: 'monitoring', message: 'Failover done.', displayAt: at('15:10'), failoverComplete: true, components: [{ componentId: t.component('smtp-relay'), level: 'partial_outage' }] }, now + MIN);
    const page = getIncidentPage(t.db, id, now + MIN);
    expect(page.incident).toMatchObject({ mitigatedAt: at('15:10'), monitoringAt: at('15:10') });
    expect(page.incident.components[0]!.periods).toEqual([
      { level: 'major_outage', startedAt: at('14:10'), endedAt: at('15:10') },
      { level: 'partial_outage', startedAt: at('15:10'), endedAt: null },
    ]);
    expect(page.updates.map((u) => [u.displayAt, u.createdAt])).toEqual([[at('15:10'), now + MIN], [at('14:20'), now]]);
    expect(JSON.parse(lastAudit().after!)).toMatchObject({ displayAt: at('15:10'), recordedAt: now + MIN });
  });

  it('refuses a time in the future, before the start, or before the latest update, writing nothing', () => {
    const id = openLate();
    const before = t.counts();
    const post = (displayAt: number) => () => postIncidentUpdate(t.db, EDITOR, id, { status: 'identified', message: 'Found it.', displayAt }, now);
    expect(fieldsOf(post(now + MIN)).displayAt).toMatch(/future/);
    expect(fieldsOf(post(at('14:00'))).displayAt).toMatch(/before the incident started/);
    expect(fieldsOf(post(at('14:15'))).displayAt).toMatch(/before the latest update/);
    expect(t.counts()).toEqual(before);
    expect(fieldsOf(() => openIncident(t.db, EDITOR, { title: 'X', impact: 'minor', message: 'x', startedAt: at('14:10'), displayAt: at('14:00') }, now)).displayAt).toMatch(/before the incident started/);
  });
});

describe('recording a past maintenance window', () => {
  const window = (over: Record<string, unknown> = {}) => ({
    title: 'Emergency kernel patch',
    scheduledStart: at('02:00') - 2 * 24 * H,
    scheduledEnd: at('03:00') - 2 * 24 * H,
    components: [t.component('smtp-relay')],
    message: 'We patched the relays.',
    ...over,
  });

  it('stores it completed, with its components under maintenance while it ran, dated and recorded honestly', () => {
    const { publicId } = recordPastMaintenance(t.db, EDITOR, window({ actualEnd: at('03:20') - 2 * 24 * H }), now);
    const row = t.db.select().from(s.maintenances).where(eq(s.maintenances.publicId, publicId)).get()!;
    expect(row).toMatchObject({ status: 'completed', actualStart: window().scheduledStart, actualEnd: at('03:20') - 2 * 24 * H, announcedAt: now, createdAt: now });
    const periods = t.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.maintenanceId, row.id)).all();
    expect(periods.map((p) => [p.level, p.startedAt, p.endedAt])).toEqual([['under_maintenance', window().scheduledStart, at('03:20') - 2 * 24 * H]]);
    const page = getMaintenancePage(t.db, publicId, now);
    expect(page.maintenance.updates.map((u) => u.displayAt)).toEqual([at('03:20') - 2 * 24 * H]);
    // Not announced beforehand, so not excused: it counts as downtime.
    expect(page.compliance.every((c) => !c.evaluation.excused)).toBe(true);
    expect(JSON.parse(lastAudit().after!)).toMatchObject({ announcedBeforehand: false, recordedAt: now, actualEnd: at('03:20') - 2 * 24 * H });
  });

  it('keeps a window announced in time excused', () => {
    const start = now - 10 * 24 * H;
    const { publicId } = recordPastMaintenance(t.db, EDITOR, window({ scheduledStart: start, scheduledEnd: start + H, announcedAt: start - 40 * 24 * H }), now);
    expect(getMaintenancePage(t.db, publicId, now).compliance.map((c) => c.evaluation.excused)).toEqual([true]);
  });

  it('refuses a window that has not ended, times out of order, and an announcement in the future', () => {
    const before = t.counts();
    expect(Object.keys(fieldsOf(() => recordPastMaintenance(t.db, EDITOR, window({ scheduledEnd: now + H }), now)))).toEqual(['scheduledEnd']);
    expect(Object.keys(fieldsOf(() => recordPastMaintenance(t.db, EDITOR, window({ actualStart: at('03:30') - 2 * 24 * H }), now)))).toEqual(['actualEnd']);
    expect(Object.keys(fieldsOf(() => recordPastMaintenance(t.db, EDITOR, window({ announcedAt: now + H }), now)))).toEqual(['announcedAt']);
    expect(t.counts()).toEqual(before);
  });
});
