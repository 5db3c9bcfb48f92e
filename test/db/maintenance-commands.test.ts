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
import { rescheduleMaintenance } from '../../src/server/commands/reschedule-maintenance.ts';
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
        { problem: 'Announced 2 days ahead; the policy requires 30 days.', components: ['SMTP relay', 'Inbound email'] },
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

describe('rescheduleMaintenance', () => {
  function scheduled(overrides: Partial<ScheduleMaintenanceInput> = {}): string {
    const result = scheduleMaintenance(c.db, EDITOR, window(overrides), now);
    if (!result.saved) throw new Error('expected it saved');
    return result.publicId;
  }
  const updatesOf = (publicId: string) =>
    c.db.select().from(s.maintenanceUpdates).where(eq(s.maintenanceUpdates.maintenanceId, maintenance(publicId).id)).orderBy(asc(s.maintenanceUpdates.id)).all();
  const componentNamesOf = (publicId: string) =>
    c.db
      .select({ name: s.components.name })
      .from(s.maintenanceComponents)
      .innerJoin(s.components, eq(s.components.id, s.maintenanceComponents.componentId))
      .where(eq(s.maintenanceComponents.maintenanceId, maintenance(publicId).id))
      .all()
      .map((r) => r.name)
      .sort();
  const lastAudit = () => c.db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all().at(-1)!;

  it('moves the window in place: same id, new times, announced now, a public update and an audit row', () => {
    const id = scheduled();
    const later = now + DAY;
    const start = now + 45 * DAY;
    const result = rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: start, scheduledEnd: start + 3 * HOUR }, later);
    expect(result).toMatchObject({ saved: true, publicId: id, warnings: [] });
    expect(maintenance(id)).toMatchObject({
      status: 'scheduled',
      title: 'Database upgrade',
      scheduledStart: start,
      scheduledEnd: start + 3 * HOUR,
      announcedAt: later,
      createdAt: now,
      updatedAt: later,
    });
    // The site is in Europe/Amsterdam (summer time in June and July).
    expect(updatesOf(id).map((u) => [u.status, u.bodyMd, u.displayAt])).toEqual([
      ['scheduled', 'Statistics may lag for up to two hours.', now],
      ['scheduled', 'Rescheduled from 19 Jul 2026, 11:00–13:00 CEST to 24 Jul 2026, 11:00–14:00 CEST.', later],
    ]);
    expect(componentNamesOf(id)).toEqual(['Statistics']);
    const audit = lastAudit();
    expect(audit).toMatchObject({ action: 'maintenance.reschedule', entityType: 'maintenance', entityId: id, actorLabel: 'editor@example.test', at: later });
    expect(JSON.parse(audit.before!)).toMatchObject({ scheduledStart: now + 40 * DAY, scheduledEnd: now + 40 * DAY + 2 * HOUR, announcedAt: now, components: ['Statistics'] });
    expect(JSON.parse(audit.after!)).toMatchObject({ scheduledStart: start, scheduledEnd: start + 3 * HOUR, announcedAt: later, components: ['Statistics'], policyWarningsAccepted: [] });
  });

  it('describes a window across midnight with both ends in full', () => {
    const id = scheduled();
    const start = Date.UTC(2026, 6, 24, 21, 0);
    rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: start, scheduledEnd: start + 3 * HOUR }, now);
    expect(updatesOf(id).at(-1)!.bodyMd).toBe('Rescheduled from 19 Jul 2026, 11:00–13:00 CEST to 24 Jul 2026, 23:00 CEST – 25 Jul 2026, 02:00 CEST.');
  });

  it('changes the title, components and message when given', () => {
    const id = scheduled();
    const start = now + 41 * DAY;
    rescheduleMaintenance(
      c.db,
      EDITOR,
      id,
      { scheduledStart: start, scheduledEnd: start + HOUR, title: 'Database and webhook upgrade', components: [c.component('statistics'), c.component('webhooks')], message: 'Moved a day: **webhooks** join in.' },
      now,
    );
    expect(maintenance(id)).toMatchObject({ title: 'Database and webhook upgrade', scheduledStart: start });
    expect(componentNamesOf(id)).toEqual(['Statistics', 'Webhooks']);
    const update = updatesOf(id).at(-1)!;
    expect(update.bodyMd).toBe('Moved a day: **webhooks** join in.');
    expect(update.bodyHtml).toContain('<strong>webhooks</strong>');
  });

  it('warns before moving when the new notice is too short (announced now, not when first scheduled), and moves only when confirmed', () => {
    const id = scheduled();
    const later = now + 20 * DAY;
    // 25 days after the reschedule: the original 40 days' notice must not excuse it.
    const start = later + 25 * DAY;
    const input = { scheduledStart: start, scheduledEnd: start + 2 * HOUR };
    const before = c.counts();
    const first = rescheduleMaintenance(c.db, EDITOR, id, input, later);
    expect(first).toEqual({ saved: false, warnings: [{ problem: 'Announced 25 days ahead; the policy requires 30 days.', components: ['Statistics'] }] });
    expect(c.counts()).toEqual(before);
    expect(maintenance(id)).toMatchObject({ scheduledStart: now + 40 * DAY, announcedAt: now, updatedAt: now });

    const second = rescheduleMaintenance(c.db, EDITOR, id, { ...input, confirmPolicyWarnings: true }, later);
    expect(second).toMatchObject({ saved: true, warnings: first.warnings });
    expect(maintenance(id)).toMatchObject({ scheduledStart: start, announcedAt: later });
    expect(JSON.parse(lastAudit().after!).policyWarningsAccepted).toEqual(['Announced 25 days ahead; the policy requires 30 days.']);
  });

  it('does not count the window being moved against itself in the yearly limit', () => {
    // The policy allows 2 windows a year per component; Statistics has its demo upgrade this year.
    const id = scheduled();
    const start = now + 45 * DAY;
    expect(scheduleMaintenance(c.db, EDITOR, window({ scheduledStart: start, scheduledEnd: start + HOUR }), now).warnings).toEqual([
      { problem: 'Window 3 this calendar year; the policy allows 2.', components: ['Statistics'] },
    ]);
    expect(rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: start, scheduledEnd: start + HOUR }, now)).toMatchObject({ saved: true, warnings: [] });
  });

  it('refuses to move a window that is no longer scheduled, with a plain reason', () => {
    const started = scheduled();
    startMaintenance(c.db, EDITOR, started, {}, now);
    const move = { scheduledStart: now + 50 * DAY, scheduledEnd: now + 50 * DAY + HOUR };
    const running = refused(() => rescheduleMaintenance(c.db, EDITOR, started, move, now)) as Conflict;
    expect(running).toBeInstanceOf(Conflict);
    expect(running.message).toBe('This maintenance is already under way, so it can no longer be moved. Post an update if it will run longer.');
    const cancelled = scheduled({ confirmPolicyWarnings: true });
    cancelMaintenance(c.db, EDITOR, cancelled, {}, now);
    expect((refused(() => rescheduleMaintenance(c.db, EDITOR, cancelled, move, now)) as Conflict).message).toBe(
      'This maintenance was cancelled, so it can no longer be moved. Schedule a new window instead.',
    );
    expect(refused(() => rescheduleMaintenance(c.db, EDITOR, 'zzzzzzzzzzzz', move, now))).toMatchObject({ name: 'NotFound' });
  });

  it('refuses a bad window, bad fields, an unchanged window and viewers, writing nothing', () => {
    const id = scheduled();
    const backwards = refused(() => rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: now + 50 * DAY, scheduledEnd: now + 49 * DAY }, now)) as Invalid;
    expect(backwards.fields).toEqual({ scheduledEnd: 'The window must end after it starts.' });
    const past = refused(() => rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: now - 3 * HOUR, scheduledEnd: now - HOUR }, now)) as Invalid;
    expect(Object.keys(past.fields)).toEqual(['scheduledEnd']);
    const missing = refused(() => rescheduleMaintenance(c.db, EDITOR, id, { title: '', components: [], message: '' } as never, now)) as Invalid;
    expect(Object.keys(missing.fields).sort()).toEqual(['components', 'message', 'scheduledEnd', 'scheduledStart', 'title']);
    const unknown = refused(() => rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: now + 50 * DAY, scheduledEnd: now + 50 * DAY + HOUR, components: ['nope'] }, now)) as Invalid;
    expect(Object.keys(unknown.fields)).toEqual(['components']);
    const same = refused(() => rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: now + 40 * DAY, scheduledEnd: now + 40 * DAY + 2 * HOUR }, now)) as Invalid;
    expect(same.fields).toEqual({ scheduledStart: 'This is the window already announced. Change the start or the end to move it.' });
    expect(refused(() => rescheduleMaintenance(c.db, VIEWER, id, { scheduledStart: now + 50 * DAY, scheduledEnd: now + 50 * DAY + HOUR }, now))).toBeInstanceOf(Forbidden);
    expect(maintenance(id)).toMatchObject({ scheduledStart: now + 40 * DAY, announcedAt: now });
  });

  it('writes nothing when the database fails while posting the update', () => {
    const id = scheduled();
    c.db.$client.exec(`CREATE TRIGGER fail_updates BEFORE INSERT ON maintenance_updates BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    const before = c.counts();
    expect(() => rescheduleMaintenance(c.db, EDITOR, id, { scheduledStart: now + 45 * DAY, scheduledEnd: now + 45 * DAY + HOUR, components: [c.component('webhooks')] }, now)).toThrow('disk on fire');
    expect(c.counts()).toEqual(before);
    expect(maintenance(id)).toMatchObject({ scheduledStart: now + 40 * DAY });
    expect(componentNamesOf(id)).toEqual(['Statistics']);
  });
});
