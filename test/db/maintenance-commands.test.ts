import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import * as s from '../../db/schema.ts';
import { Conflict, Forbidden, Invalid } from '../../src/server/errors.ts';
import { scheduleMaintenance, type ScheduleMaintenanceInput } from '../../src/server/commands/schedule-maintenance.ts';
import {
  cancelMaintenance,
  completeMaintenance,
  postMaintenanceUpdate,
  startMaintenance,
  verifyMaintenance,
} from '../../src/server/commands/maintenance-progress.ts';
import { loadComponentHealth } from '../../src/server/component-health.ts';
import { loadSite } from '../../src/server/site.ts';
import { EDITOR, VIEWER, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Tuesday.
const now = Date.UTC(2026, 5, 9, 9, 0);

let c: CommandDb;
beforeEach(() => {
  c = openCommandDb(now);
});
afterEach(() => c.close());

const window = (overrides: Partial<ScheduleMaintenanceInput> = {}): ScheduleMaintenanceInput => ({
  title: 'Database upgrade',
  scheduledStart: now + 40 * DAY,
  scheduledEnd: now + 40 * DAY + 2 * HOUR,
  components: [c.component('statistics')],
  message: 'Statistics may lag for up to two hours.',
  ...overrides,
});
const maintenance = (publicId: string) => c.db.select().from(s.maintenances).where(eq(s.maintenances.publicId, publicId)).get()!;
const statusOf = (slug: string, at: number) => loadComponentHealth(c.db, loadSite(c.db), at).find((h) => h.slug === slug)!.status;

function refused(fn: () => unknown): unknown {
  const before = c.counts();
  const error = thrown(fn);
  expect(c.counts()).toEqual(before);
  return error;
}

describe('scheduleMaintenance', () => {
  it('schedules a window within the policy at once, announced now, with its first update', () => {
    const result = scheduleMaintenance(c.db, EDITOR, window(), now);
    expect(result).toMatchObject({ saved: true, warnings: [] });
    if (!result.saved) return;
    expect(maintenance(result.publicId)).toMatchObject({ title: 'Database upgrade', status: 'scheduled', announcedAt: now, scheduledStart: now + 40 * DAY });
    const id = maintenance(result.publicId).id;
    expect(c.db.select().from(s.maintenanceComponents).where(eq(s.maintenanceComponents.maintenanceId, id)).all()).toHaveLength(1);
    expect(c.db.select().from(s.maintenanceUpdates).where(eq(s.maintenanceUpdates.maintenanceId, id)).all()).toEqual([
      expect.objectContaining({ status: 'scheduled', bodyMd: 'Statistics may lag for up to two hours.', displayAt: now }),
    ]);
    // Scheduled, not started: the component is still operational.
    expect(statusOf('statistics', now)).toBe('operational');
  });

  it('warns before saving when the window breaks the policy, and saves only when confirmed', () => {
    const risky = window({ scheduledStart: now + 2 * DAY, scheduledEnd: now + 2 * DAY + 50 * HOUR, components: [c.component('smtp-relay'), c.component('inbound-email')] });
    const before = c.counts();
    const first = scheduleMaintenance(c.db, EDITOR, risky, now);
    expect(c.counts()).toEqual(before);
    expect(first.saved).toBe(false);
    expect(first.warnings).toEqual(
      expect.arrayContaining([
        { problem: 'Announced 2 days ahead; the policy requires 30.', components: ['SMTP relay', 'Inbound email'] },
        { problem: 'Lasts 50 h; the policy allows at most 48 h.', components: ['SMTP relay', 'Inbound email'] },
      ]),
    );
    const second = scheduleMaintenance(c.db, EDITOR, { ...risky, confirmPolicyWarnings: true }, now);
    expect(second).toMatchObject({ saved: true, warnings: first.warnings });
    const audit = c.db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all().at(-1)!;
    expect(JSON.parse(audit.after!).policyWarningsAccepted).toEqual(first.warnings.map((w) => w.problem));
  });

  it('refuses a window that ends before it starts, no components, bad fields and viewers', () => {
    const backwards = refused(() => scheduleMaintenance(c.db, EDITOR, window({ scheduledEnd: now + 39 * DAY }), now)) as Invalid;
    expect(backwards.fields).toEqual({ scheduledEnd: 'The window must end after it starts.' });
    const empty = refused(() => scheduleMaintenance(c.db, EDITOR, window({ title: '', components: [], message: '' }), now)) as Invalid;
    expect(Object.keys(empty.fields).sort()).toEqual(['components', 'message', 'title']);
    expect(refused(() => scheduleMaintenance(c.db, EDITOR, window({ components: ['nope'] }), now))).toBeInstanceOf(Invalid);
    expect(refused(() => scheduleMaintenance(c.db, VIEWER, window(), now))).toBeInstanceOf(Forbidden);
  });
});

describe('maintenance steps', () => {
  function scheduled(): string {
    const result = scheduleMaintenance(c.db, EDITOR, window({ components: [c.component('statistics'), c.component('webhooks')] }), now);
    if (!result.saved) throw new Error('expected it saved');
    return result.publicId;
  }

  it('start puts its components under maintenance, verify keeps them there, complete brings them back', () => {
    const id = scheduled();
    const start = now + 40 * DAY;
    startMaintenance(c.db, EDITOR, id, {}, start);
    expect(maintenance(id)).toMatchObject({ status: 'in_progress', actualStart: start });
    expect(statusOf('statistics', start + 1)).toBe('under_maintenance');
    // Webhooks also has an ongoing demo incident, which is worse than maintenance and wins.
    expect(statusOf('webhooks', start + 1)).toBe('degraded_performance');
    verifyMaintenance(c.db, EDITOR, id, { message: 'Checking the numbers.' }, start + HOUR);
    expect(maintenance(id)).toMatchObject({ status: 'verifying', verifyingAt: start + HOUR });
    postMaintenanceUpdate(c.db, EDITOR, id, { message: 'Numbers look right.' }, start + 90 * 60_000);
    completeMaintenance(c.db, EDITOR, id, {}, start + 2 * HOUR);
    expect(maintenance(id)).toMatchObject({ status: 'completed', actualEnd: start + 2 * HOUR });
    expect(statusOf('statistics', start + 3 * HOUR)).toBe('operational');
    const periods = c.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.maintenanceId, maintenance(id).id)).all();
    expect(periods.map((p) => [p.level, p.startedAt, p.endedAt])).toEqual([
      ['under_maintenance', start, start + 2 * HOUR],
      ['under_maintenance', start, start + 2 * HOUR],
    ]);
    const updates = c.db.select().from(s.maintenanceUpdates).where(eq(s.maintenanceUpdates.maintenanceId, maintenance(id).id)).orderBy(asc(s.maintenanceUpdates.id)).all();
    expect(updates.map((u) => [u.status, u.bodyMd])).toEqual([
      ['scheduled', 'Statistics may lag for up to two hours.'],
      ['in_progress', 'The maintenance has started.'],
      ['verifying', 'Checking the numbers.'],
      ['verifying', 'Numbers look right.'],
      ['completed', 'The maintenance is complete.'],
    ]);
  });

  it('refuses steps out of order with a plain reason', () => {
    const id = scheduled();
    expect((refused(() => completeMaintenance(c.db, EDITOR, id, {}, now)) as Conflict).message).toBe('This maintenance has not started yet.');
    startMaintenance(c.db, EDITOR, id, {}, now);
    expect((refused(() => startMaintenance(c.db, EDITOR, id, {}, now)) as Conflict).message).toBe('This maintenance is already in progress.');
    expect((refused(() => cancelMaintenance(c.db, EDITOR, id, {}, now)) as Conflict).message).toBe('This maintenance is already under way: complete it rather than cancel it.');
    expect(refused(() => verifyMaintenance(c.db, VIEWER, id, {}, now))).toBeInstanceOf(Forbidden);
  });

  it('writes nothing when the database fails after the components went under maintenance', () => {
    const id = scheduled();
    c.db.$client.exec(`CREATE TRIGGER fail_updates BEFORE INSERT ON maintenance_updates BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    const before = c.counts();
    expect(() => startMaintenance(c.db, EDITOR, id, {}, now)).toThrow('disk on fire');
    expect(c.counts()).toEqual(before);
    expect(maintenance(id)).toMatchObject({ status: 'scheduled', actualStart: null });
  });

  it('cancels a scheduled window, which then cannot start', () => {
    const id = scheduled();
    cancelMaintenance(c.db, EDITOR, id, { message: 'Postponed to next month.' }, now);
    expect(maintenance(id).status).toBe('cancelled');
    expect((refused(() => startMaintenance(c.db, EDITOR, id, {}, now)) as Conflict).message).toBe('This maintenance was cancelled.');
  });
});
