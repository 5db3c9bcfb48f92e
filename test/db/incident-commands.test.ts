import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import * as s from '../../db/schema.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/server/errors.ts';
import { MARKDOWN_MAX_LENGTH } from '../../src/server/markdown.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../src/server/commands/post-incident-update.ts';
import { editIncidentUpdate } from '../../src/server/commands/edit-incident-update.ts';
import { resolveIncident } from '../../src/server/commands/resolve-incident.ts';
import { getIncidentPage } from '../../src/server/incident-page.ts';
import { EDITOR, OWNER, VIEWER, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2026, 5, 10, 12, 0);

let c: CommandDb;
beforeEach(() => {
  c = openCommandDb(now);
});
afterEach(() => c.close());

const incidentRow = (publicId: string) => c.db.select().from(s.incidents).where(eq(s.incidents.publicId, publicId)).get()!;
const periodsOf = (incidentId: number) =>
  c.db
    .select({ slug: s.components.slug, level: s.impactPeriods.level, startedAt: s.impactPeriods.startedAt, endedAt: s.impactPeriods.endedAt })
    .from(s.impactPeriods)
    .innerJoin(s.components, eq(s.components.id, s.impactPeriods.componentId))
    .where(eq(s.impactPeriods.incidentId, incidentId))
    .orderBy(asc(s.impactPeriods.id))
    .all();
const changesOf = (updatePublicId: string) =>
  c.db
    .select({ slug: s.components.slug, oldStatus: s.incidentUpdateComponents.oldStatus, newStatus: s.incidentUpdateComponents.newStatus })
    .from(s.incidentUpdateComponents)
    .innerJoin(s.incidentUpdates, eq(s.incidentUpdates.id, s.incidentUpdateComponents.updateId))
    .innerJoin(s.components, eq(s.components.id, s.incidentUpdateComponents.componentId))
    .where(eq(s.incidentUpdates.publicId, updatePublicId))
    .all();

function openTwoComponentIncident(startedAt = now - 2 * HOUR) {
  return openIncident(
    c.db,
    EDITOR,
    {
      title: 'SMTP relay and inbound email down',
      impact: 'critical',
      message: 'We are **investigating**.',
      startedAt,
      components: [
        { componentId: c.component('smtp-relay'), level: 'major_outage' },
        { componentId: c.component('inbound-email'), level: 'partial_outage' },
      ],
    },
    now,
  );
}

/** Expects `fn` to be refused with `type` and to leave every table exactly as it was. */
function expectRefused<T>(fn: () => unknown, type: new (...args: never[]) => T): T {
  const before = c.counts();
  const error = thrown(fn);
  expect(error).toBeInstanceOf(type);
  expect(c.counts()).toEqual(before);
  return error as T;
}

describe('openIncident', () => {
  it('creates the incident, its first update with component changes, and periods from the back-dated start', () => {
    const before = c.counts();
    const { publicId } = openTwoComponentIncident(now - 2 * HOUR);
    const row = incidentRow(publicId);
    expect(row).toMatchObject({ title: 'SMTP relay and inbound email down', impact: 'critical', status: 'investigating', startedAt: now - 2 * HOUR, mitigatedAt: null, impactEndedAt: null, resolvedAt: null, monitoringAt: null });
    const updates = c.db.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.incidentId, row.id)).all();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ kind: 'update', status: 'investigating', bodyMd: 'We are **investigating**.', bodyHtml: '<p>We are <strong>investigating</strong>.</p>\n', displayAt: now });
    expect(changesOf(updates[0]!.publicId)).toEqual(
      expect.arrayContaining([
        { slug: 'smtp-relay', oldStatus: 'operational', newStatus: 'major_outage' },
        { slug: 'inbound-email', oldStatus: 'operational', newStatus: 'partial_outage' },
      ]),
    );
    expect(periodsOf(row.id)).toEqual([
      { slug: 'smtp-relay', level: 'major_outage', startedAt: now - 2 * HOUR, endedAt: null },
      { slug: 'inbound-email', level: 'partial_outage', startedAt: now - 2 * HOUR, endedAt: null },
    ]);
    expect(c.counts()).toMatchObject({
      incidents: before.incidents! + 1,
      incident_updates: before.incident_updates! + 1,
      incident_update_components: before.incident_update_components! + 2,
      impact_periods: before.impact_periods! + 2,
      audit_log: before.audit_log! + 1,
      dataVersion: before.dataVersion! + 1,
    });
    const audit = c.db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all().at(-1)!;
    expect(audit).toMatchObject({ action: 'incident.open', entityType: 'incident', entityId: publicId, actorLabel: 'editor@example.test', at: now });
    expect(JSON.parse(audit.after!)).toMatchObject({ title: 'SMTP relay and inbound email down', components: [{ component: 'SMTP relay', level: 'major_outage' }, { component: 'Inbound email', level: 'partial_outage' }] });
  });

  it('defaults to investigating, starting now, and records monitoring when opened in it', () => {
    const plain = openIncident(c.db, OWNER, { title: 'Slow console', impact: 'minor', message: 'Looking into it.' }, now);
    expect(incidentRow(plain.publicId)).toMatchObject({ status: 'investigating', startedAt: now });
    const watched = openIncident(c.db, EDITOR, { title: 'Blip', impact: 'none', status: 'monitoring', message: 'Watching.' }, now);
    expect(incidentRow(watched.publicId)).toMatchObject({ status: 'monitoring', monitoringAt: now });
  });

  it('refuses viewers', () => {
    expectRefused(() => openIncident(c.db, VIEWER, { title: 'x', impact: 'minor', message: 'y' }, now), Forbidden);
  });

  it('explains every bad field at once', () => {
    const error = expectRefused(() => openIncident(c.db, EDITOR, { title: '  ', impact: 'huge' as 'major', message: '' }, now), Invalid);
    expect(error.fields).toEqual({
      title: 'Give the incident a title.',
      impact: 'Choose how severe the impact is.',
      message: 'Write the first message customers will read.',
    });
  });

  it('refuses a start in the future, an unknown component, and a component listed twice', () => {
    const base = { title: 'x', impact: 'minor' as const, message: 'y' };
    expect(expectRefused(() => openIncident(c.db, EDITOR, { ...base, startedAt: now + HOUR }, now), Invalid).fields.startedAt).toContain('in the future');
    expect(expectRefused(() => openIncident(c.db, EDITOR, { ...base, components: [{ componentId: 'nope', level: 'major_outage' }] }, now), Invalid).fields.components).toContain('Unknown component nope');
    const twice = [
      { componentId: c.component('webhooks'), level: 'major_outage' as const },
      { componentId: c.component('webhooks'), level: 'partial_outage' as const },
    ];
    expectRefused(() => openIncident(c.db, EDITOR, { ...base, components: twice }, now), Invalid);
  });

  it('refuses an over-long message with its length instead of clipping it', () => {
    const long = 'a'.repeat(MARKDOWN_MAX_LENGTH + 1);
    const error = expectRefused(() => openIncident(c.db, EDITOR, { title: 'x', impact: 'minor', message: long }, now), Invalid);
    expect(error.fields.message).toBe('This text is 20,001 characters long; the limit is 20,000. Shorten it or link to a longer document.');
    expect(() => openIncident(c.db, EDITOR, { title: 'x', impact: 'minor', message: 'a'.repeat(MARKDOWN_MAX_LENGTH) }, now)).not.toThrow();
  });

  it('writes nothing when the database fails half-way through', () => {
    c.db.$client.exec(`CREATE TRIGGER fail_changes BEFORE INSERT ON incident_update_components BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    const before = c.counts();
    expect(() => openTwoComponentIncident()).toThrow('disk on fire');
    expect(c.counts()).toEqual(before);
  });
});

describe('postIncidentUpdate', () => {
  it('marks failover complete now or at a given time, and monitoring only the first time', () => {
    const { publicId } = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'Failed over.', failoverComplete: true }, now + MIN);
    expect(incidentRow(publicId)).toMatchObject({ status: 'monitoring', mitigatedAt: now + MIN, monitoringAt: now + MIN, impactEndedAt: null });
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'identified', message: 'Queues still backed up.' }, now + 2 * MIN);
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'Watching again.' }, now + 3 * MIN);
    expect(incidentRow(publicId)).toMatchObject({ status: 'monitoring', monitoringAt: now + MIN });

    const other = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, other.publicId, { status: 'identified', message: 'Done earlier.', failoverComplete: true, mitigatedAt: now - HOUR }, now + MIN);
    expect(incidentRow(other.publicId).mitigatedAt).toBe(now - HOUR);
  });

  it('turns level changes into closed and opened periods, and announces old → new', () => {
    const { publicId } = openTwoComponentIncident(now - 2 * HOUR);
    const id = incidentRow(publicId).id;
    const t = now + 10 * MIN;
    const update = postIncidentUpdate(
      c.db,
      EDITOR,
      publicId,
      {
        status: 'identified',
        message: 'Relay partly back; inbound fixed; webhooks slow.',
        components: [
          { componentId: c.component('smtp-relay'), level: 'partial_outage' },
          { componentId: c.component('inbound-email'), level: 'operational' },
          { componentId: c.component('webhooks'), level: 'degraded_performance' },
          // Unchanged levels and untouched components announce nothing.
          { componentId: c.component('statistics'), level: 'operational' },
        ],
      },
      t,
    );
    expect(periodsOf(id)).toEqual([
      { slug: 'smtp-relay', level: 'major_outage', startedAt: now - 2 * HOUR, endedAt: t },
      { slug: 'inbound-email', level: 'partial_outage', startedAt: now - 2 * HOUR, endedAt: t },
      { slug: 'smtp-relay', level: 'partial_outage', startedAt: t, endedAt: null },
      { slug: 'webhooks', level: 'degraded_performance', startedAt: t, endedAt: null },
    ]);
    expect(changesOf(update.publicId)).toEqual(
      expect.arrayContaining([
        { slug: 'smtp-relay', oldStatus: 'major_outage', newStatus: 'partial_outage' },
        { slug: 'inbound-email', oldStatus: 'partial_outage', newStatus: 'operational' },
        { slug: 'webhooks', oldStatus: 'operational', newStatus: 'degraded_performance' },
      ]),
    );
    expect(changesOf(update.publicId)).toHaveLength(3);
    expect(incidentRow(publicId).impactEndedAt).toBeNull();
  });

  it('"all customers restored" closes every open period and ends the impact; mitigation follows if unset', () => {
    const { publicId } = openTwoComponentIncident(now - 2 * HOUR);
    const id = incidentRow(publicId).id;
    const update = postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'All back.', customersRestored: true, restoredAt: now - 30 * MIN }, now);
    expect(periodsOf(id).map((p) => p.endedAt)).toEqual([now - 30 * MIN, now - 30 * MIN]);
    expect(incidentRow(publicId)).toMatchObject({ impactEndedAt: now - 30 * MIN, mitigatedAt: now - 30 * MIN });
    expect(changesOf(update.publicId)).toEqual(
      expect.arrayContaining([
        { slug: 'smtp-relay', oldStatus: 'major_outage', newStatus: 'operational' },
        { slug: 'inbound-email', oldStatus: 'partial_outage', newStatus: 'operational' },
      ]),
    );
  });

  it('ends the impact when the last component goes back to operational, and reopens it on a relapse', () => {
    const { publicId } = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'identified', message: 'Failover done.', failoverComplete: true }, now);
    const back = [
      { componentId: c.component('smtp-relay'), level: 'operational' as const },
      { componentId: c.component('inbound-email'), level: 'operational' as const },
    ];
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'Both fine.', components: back }, now + HOUR);
    expect(incidentRow(publicId)).toMatchObject({ mitigatedAt: now, impactEndedAt: now + HOUR });
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'identified', message: 'Relay down again.', components: [{ componentId: c.component('smtp-relay'), level: 'major_outage' }] }, now + 2 * HOUR);
    expect(incidentRow(publicId)).toMatchObject({ mitigatedAt: now, impactEndedAt: null });
  });

  it('stores apologies and corrections as their own kinds, shown as such on the public page', () => {
    const { publicId } = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'investigating', kind: 'apology', message: 'We are sorry.' }, now + MIN);
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'investigating', kind: 'correction', message: 'Earlier we said 1 h; it was 2 h.' }, now + 2 * MIN);
    const page = getIncidentPage(c.db, publicId, now + 3 * MIN);
    expect(page.updates.map((u) => u.kind)).toEqual(['correction', 'apology', 'update']);
  });

  it('refuses impossible or contradictory updates, writing nothing', () => {
    const { publicId } = openTwoComponentIncident(now - 2 * HOUR);
    const post = (input: Parameters<typeof postIncidentUpdate>[3]) => () => postIncidentUpdate(c.db, EDITOR, publicId, input, now);
    expect(expectRefused(post({ status: 'resolved', message: 'done' }), Invalid).fields.status).toContain('Resolve incident');
    expect(expectRefused(post({ status: 'monitoring', message: 'x', failoverComplete: true, mitigatedAt: now + HOUR }), Invalid).fields.mitigatedAt).toContain('in the future');
    expect(expectRefused(post({ status: 'monitoring', message: 'x', failoverComplete: true, mitigatedAt: now - 3 * HOUR }), Invalid).fields.mitigatedAt).toContain('before the incident started');
    expect(expectRefused(post({ status: 'monitoring', message: 'x', customersRestored: true, restoredAt: now - 3 * HOUR }), Invalid).fields.restoredAt).toBeDefined();
    const contradiction = expectRefused(
      post({ status: 'monitoring', message: 'x', customersRestored: true, components: [{ componentId: c.component('smtp-relay'), level: 'partial_outage' }] }),
      Invalid,
    );
    expect(contradiction.fields.components).toBe('You ticked "All customers restored" but still mark SMTP relay (Partial outage) as affected. Set them to Operational or untick the box.');
    expect(expectRefused(post({ status: 'identified', message: '' }), Invalid).fields.message).toBe('Write the update customers will read.');
    expectRefused(post({ status: 'identified', message: 'x', components: [{ componentId: c.component('smtp-relay'), level: 'under_maintenance' as 'major_outage' }] }), Invalid);
    expectRefused(() => postIncidentUpdate(c.db, VIEWER, publicId, { status: 'identified', message: 'x' }, now), Forbidden);
    expectRefused(() => postIncidentUpdate(c.db, EDITOR, 'nosuchincid', { status: 'identified', message: 'x' }, now), NotFound);

    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'Failed over.', failoverComplete: true, mitigatedAt: now - HOUR }, now);
    expect(expectRefused(post({ status: 'monitoring', message: 'x', failoverComplete: true }), Invalid).fields.failoverComplete).toContain('already marked complete');
    // Customers back before our side was restored is impossible.
    expect(expectRefused(post({ status: 'monitoring', message: 'x', customersRestored: true, restoredAt: now - 90 * MIN }), Invalid).fields.restoredAt).toContain('at or after failover/mitigation');
  });

  it('writes nothing when the database fails after the periods were already changed', () => {
    const { publicId } = openTwoComponentIncident();
    c.db.$client.exec(`CREATE TRIGGER fail_changes BEFORE INSERT ON incident_update_components BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    const before = c.counts();
    const periodsBefore = periodsOf(incidentRow(publicId).id);
    expect(() => postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'Back.', failoverComplete: true, customersRestored: true }, now)).toThrow('disk on fire');
    expect(c.counts()).toEqual(before);
    expect(periodsOf(incidentRow(publicId).id)).toEqual(periodsBefore);
    expect(incidentRow(publicId)).toMatchObject({ status: 'investigating', mitigatedAt: null, impactEndedAt: null });
  });

  it('keeps a resolved incident resolved: apologies allowed, status and impact changes refused', () => {
    const { publicId } = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'ok', customersRestored: true }, now);
    resolveIncident(c.db, EDITOR, publicId, { message: 'Resolved.', verifiedEndToEnd: true }, now + MIN);
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'resolved', kind: 'apology', message: 'Sorry for the trouble.' }, now + 2 * MIN);
    expect(expectRefused(() => postIncidentUpdate(c.db, EDITOR, publicId, { status: 'investigating', message: 'Back?' }, now + 3 * MIN), Invalid).fields.status).toContain('open a new incident');
    expect(
      expectRefused(() => postIncidentUpdate(c.db, EDITOR, publicId, { status: 'resolved', message: 'x', customersRestored: true }, now + 3 * MIN), Invalid).fields.components,
    ).toContain('correct the impact window');
  });
});

describe('editIncidentUpdate', () => {
  it('keeps the previous text as a revision and marks the update edited', () => {
    const { publicId } = openTwoComponentIncident();
    const first = c.db.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.incidentId, incidentRow(publicId).id)).get()!;
    editIncidentUpdate(c.db, EDITOR, first.publicId, { message: 'We are investigating *failed* email delivery.' }, now + HOUR);
    const edited = c.db.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.id, first.id)).get()!;
    expect(edited).toMatchObject({ bodyMd: 'We are investigating *failed* email delivery.', editedAt: now + HOUR, displayAt: first.displayAt });
    expect(c.db.select().from(s.updateRevisions).where(eq(s.updateRevisions.updateId, first.id)).all()).toEqual([
      expect.objectContaining({ bodyMd: first.bodyMd, bodyHtml: first.bodyHtml, revisedAt: now + HOUR }),
    ]);
    const page = getIncidentPage(c.db, publicId, now + HOUR);
    expect(page.updates[0]).toMatchObject({ editedAt: now + HOUR, revisions: [{ bodyHtml: first.bodyHtml, revisedAt: now + HOUR }] });
  });

  it('refuses unchanged or empty text, unknown updates and viewers', () => {
    const { publicId } = openTwoComponentIncident();
    const first = c.db.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.incidentId, incidentRow(publicId).id)).get()!;
    expect(expectRefused(() => editIncidentUpdate(c.db, EDITOR, first.publicId, { message: first.bodyMd }, now), Invalid).fields.message).toContain('unchanged');
    expectRefused(() => editIncidentUpdate(c.db, EDITOR, first.publicId, { message: ' ' }, now), Invalid);
    expectRefused(() => editIncidentUpdate(c.db, EDITOR, 'nosuchupdate', { message: 'x' }, now), NotFound);
    expectRefused(() => editIncidentUpdate(c.db, VIEWER, first.publicId, { message: 'x' }, now), Forbidden);
  });
});

describe('resolveIncident', () => {
  it('is refused while customers are still affected, naming the components', () => {
    const { publicId } = openTwoComponentIncident();
    const error = expectRefused(() => resolveIncident(c.db, EDITOR, publicId, { message: 'Fixed.', verifiedEndToEnd: true }, now), Conflict);
    expect(error.message).toBe(
      'Customers are still marked as affected on SMTP relay and Inbound email: mark them restored first (tick "All customers restored" in an update, or set each to Operational), then resolve.',
    );
  });

  it('asks for end-to-end verification and a message', () => {
    const { publicId } = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'ok', customersRestored: true }, now);
    const error = expectRefused(() => resolveIncident(c.db, EDITOR, publicId, { message: '' }, now), Invalid);
    expect(Object.keys(error.fields).sort()).toEqual(['message', 'verifiedEndToEnd']);
    expect(error.fields.verifiedEndToEnd).toContain('verified end to end');
  });

  it('closes the incident with a resolved update', () => {
    const { publicId } = openTwoComponentIncident();
    postIncidentUpdate(c.db, EDITOR, publicId, { status: 'monitoring', message: 'ok', customersRestored: true }, now);
    resolveIncident(c.db, EDITOR, publicId, { message: 'All verified.', verifiedEndToEnd: true }, now + HOUR);
    expect(incidentRow(publicId)).toMatchObject({ status: 'resolved', resolvedAt: now + HOUR, impactEndedAt: now });
    const page = getIncidentPage(c.db, publicId, now + HOUR);
    expect(page.updates[0]).toMatchObject({ status: 'resolved', kind: 'update' });
    expectRefused(() => resolveIncident(c.db, EDITOR, publicId, { message: 'Again.', verifiedEndToEnd: true }, now + HOUR), Conflict);
    expectRefused(() => resolveIncident(c.db, VIEWER, publicId, { message: 'x', verifiedEndToEnd: true }, now + HOUR), Forbidden);
  });
});
