import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import * as s from '../../db/schema.ts';
import { Forbidden, Invalid } from '../../src/server/errors.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../src/server/commands/post-incident-update.ts';
import { resolveIncident } from '../../src/server/commands/resolve-incident.ts';
import { correctImpactWindow, type CorrectImpactWindowInput } from '../../src/server/commands/correct-impact-window.ts';
import { getIncidentPage } from '../../src/server/incident-page.ts';
import { EDITOR, VIEWER, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2026, 5, 10, 12, 0);
const t = now - 10 * HOUR;

let c: CommandDb;
let incident: string;

beforeEach(() => {
  c = openCommandDb(now);
  incident = openIncident(
    c.db,
    EDITOR,
    {
      title: 'Relay outage',
      impact: 'major',
      message: 'Investigating.',
      startedAt: t,
      components: [
        { componentId: c.component('smtp-relay'), level: 'major_outage' },
        { componentId: c.component('send-api'), level: 'partial_outage' },
      ],
    },
    t + 30 * MIN,
  ).publicId;
  postIncidentUpdate(c.db, EDITOR, incident, { status: 'monitoring', message: 'Failed over.', failoverComplete: true }, t + HOUR);
  postIncidentUpdate(c.db, EDITOR, incident, { status: 'monitoring', message: 'All back.', customersRestored: true }, t + 2 * HOUR);
  resolveIncident(c.db, EDITOR, incident, { message: 'Resolved.', verifiedEndToEnd: true }, t + 3 * HOUR);
});
afterEach(() => c.close());

const row = () => c.db.select().from(s.incidents).where(eq(s.incidents.publicId, incident)).get()!;

/** The review found the relay stayed partly down until t + 6 h. */
function truerWindow(): CorrectImpactWindowInput {
  return {
    reason: 'Queued mail on the relay was replayed only at 16:00; customers were affected until then.',
    startedAt: t,
    mitigatedAt: t + HOUR,
    periods: [
      { componentId: c.component('smtp-relay'), level: 'major_outage', startedAt: t, endedAt: t + HOUR },
      { componentId: c.component('smtp-relay'), level: 'partial_outage', startedAt: t + HOUR, endedAt: t + 6 * HOUR },
      { componentId: c.component('send-api'), level: 'partial_outage', startedAt: t, endedAt: t + 2 * HOUR },
    ],
  };
}

function expectRefused(input: CorrectImpactWindowInput): Record<string, string> {
  const before = c.counts();
  const error = thrown(() => correctImpactWindow(c.db, EDITOR, incident, input, now));
  expect(error).toBeInstanceOf(Invalid);
  expect(c.counts()).toEqual(before);
  return (error as Invalid).fields;
}

describe('correctImpactWindow', () => {
  it('replaces the periods, derives the impact end, and records the reason with before and after', () => {
    correctImpactWindow(c.db, EDITOR, incident, truerWindow(), now);
    expect(row()).toMatchObject({ startedAt: t, mitigatedAt: t + HOUR, impactEndedAt: t + 6 * HOUR, resolvedAt: t + 3 * HOUR, status: 'resolved' });
    const periods = c.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, row().id)).orderBy(asc(s.impactPeriods.id)).all();
    expect(periods.map((p) => [p.level, p.startedAt, p.endedAt])).toEqual([
      ['major_outage', t, t + HOUR],
      ['partial_outage', t + HOUR, t + 6 * HOUR],
      ['partial_outage', t, t + 2 * HOUR],
    ]);
    const correction = c.db.select().from(s.impactCorrections).where(eq(s.impactCorrections.incidentId, row().id)).get()!;
    expect(correction).toMatchObject({ reason: truerWindow().reason, correctedAt: now });
    expect(JSON.parse(correction.before)).toMatchObject({ impactEndedAt: t + 2 * HOUR, periods: expect.arrayContaining([expect.objectContaining({ component: 'SMTP relay', level: 'major_outage', endedAt: t + 2 * HOUR })]) });
    expect(JSON.parse(correction.after)).toMatchObject({ impactEndedAt: t + 6 * HOUR });
    const audit = c.db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all().at(-1)!;
    expect(audit).toMatchObject({ action: 'incident.correct_impact', entityId: incident });

    const page = getIncidentPage(c.db, incident, now);
    expect(page.corrections).toEqual([{ reason: truerWindow().reason, correctedAt: now }]);
    // Customers stayed affected 5 h after the failover, now shown honestly.
    expect(page.incident.durations.impactAfterFailover).toEqual({ ms: 5 * HOUR, ongoing: false });
  });

  it('accepts an explicit impact end that agrees with the periods, and refuses one that does not', () => {
    expect(() => correctImpactWindow(c.db, EDITOR, incident, { ...truerWindow(), impactEndedAt: t + 6 * HOUR }, now)).not.toThrow();
    expect(expectRefused({ ...truerWindow(), impactEndedAt: t + 5 * HOUR, reason: 'again' }).impactEndedAt).toContain('latest end of the periods');
  });

  it('refuses impossible timelines with a message per field', () => {
    const w = truerWindow();
    expect(expectRefused({ ...w, mitigatedAt: t - MIN })).toEqual({ mitigatedAt: expect.stringContaining('before the incident started') });
    expect(expectRefused({ ...w, startedAt: t + 30 * MIN })['periods.0.startedAt']).toContain('before the incident started');
    expect(expectRefused({ ...w, periods: [{ ...w.periods[0]!, endedAt: t - HOUR }] })['periods.0.endedAt']).toContain('ends before it starts');
    expect(expectRefused({ ...w, periods: [w.periods[0]!, { ...w.periods[1]!, startedAt: t + 30 * MIN }] })['periods.1.startedAt']).toContain('overlaps');
    expect(expectRefused({ ...w, mitigatedAt: t + 7 * HOUR }).impactEndedAt).toContain('at or after failover/mitigation');
    expect(expectRefused({ ...w, periods: [{ ...w.periods[0]!, endedAt: null }] })['periods.0.endedAt']).toBe('This incident is resolved, so every period needs an end.');
    expect(expectRefused({ ...w, periods: [{ ...w.periods[0]!, endedAt: now + HOUR }] })['periods.0.endedAt']).toContain('in the future');
  });

  it('requires a reason, and a change', () => {
    expect(expectRefused({ ...truerWindow(), reason: '  ' }).reason).toContain('customers read this reason');
    correctImpactWindow(c.db, EDITOR, incident, truerWindow(), now);
    // The same periods in another order are no change either.
    const same = { ...truerWindow(), reason: 'no-op', periods: [...truerWindow().periods].reverse() };
    expect(expectRefused(same)).toEqual({ form: 'Nothing changed: the times and periods are the same as before.' });
  });

  it('writes nothing when the database fails after the old periods were deleted', () => {
    c.db.$client.exec(`CREATE TRIGGER fail_corrections BEFORE INSERT ON impact_corrections BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    const before = c.counts();
    const periodsBefore = c.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, row().id)).all();
    expect(() => correctImpactWindow(c.db, EDITOR, incident, truerWindow(), now)).toThrow('disk on fire');
    expect(c.counts()).toEqual(before);
    expect(c.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, row().id)).all()).toEqual(periodsBefore);
    expect(row().impactEndedAt).toBe(t + 2 * HOUR);
  });

  it('refuses viewers', () => {
    const before = c.counts();
    expect(thrown(() => correctImpactWindow(c.db, VIEWER, incident, truerWindow(), now))).toBeInstanceOf(Forbidden);
    expect(c.counts()).toEqual(before);
  });
});
