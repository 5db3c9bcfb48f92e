// Correcting when customers were affected, after the fact (typically in the post-mortem review,
// when the true extent is known). History is never silently rewritten: every correction keeps
// its reason and before/after snapshots, and the public page says the window was corrected.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import { checkIncidentMoments, checkPeriods, explainImpactEndMismatch, impactEndOf, type PeriodDraft } from '../../domain/timeline-rules.ts';
import type { Db } from '../../../db/client.ts';
import { Invalid } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findComponents, findIncident, loadIncidentPeriods, snapshotWindow, type IncidentLevel } from './incident-records.ts';
import { incidentLevel, instant, notify, parseInput } from './input.ts';
import { publishIncidentNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';

export const REASON_MAX_LENGTH = 500;
const MISSING_REASON = 'Say why the window changed; customers read this reason on the incident page.';

function reasonProblem(reason: string): Record<string, string> {
  if (reason === '') return { reason: MISSING_REASON };
  if (reason.length > REASON_MAX_LENGTH) return { reason: `Keep the reason under ${REASON_MAX_LENGTH} characters; the post-mortem can say more.` };
  return {};
}

export const correctImpactWindowInput = z.object({
  /** Checked with the timeline (reasonProblem), so a missing reason and bad times show together. */
  reason: z.string({ error: MISSING_REASON }).trim(),
  startedAt: instant('Enter when customers began to be affected.'),
  mitigatedAt: instant('Enter when failover/mitigation completed, or leave it empty.').nullable(),
  /** Omitted: the latest end of the periods. Given: it must agree with them. */
  impactEndedAt: instant('Enter when the last customer was back to normal, or leave it empty.').nullable().optional(),
  /** The complete new set of periods; it replaces the old one. */
  periods: z.array(
    z.object({
      componentId: z.string({ error: 'Choose the component.' }),
      level: incidentLevel,
      startedAt: instant('Enter when this period started.'),
      endedAt: instant('Enter when this period ended, or leave it empty while still affected.').nullable(),
    }),
    { error: 'List the impact periods.' },
  ),
  /** Subscribers hear the corrected durations, with the reason. */
  notify,
});

export type CorrectImpactWindowInput = z.input<typeof correctImpactWindowInput>;

export function correctImpactWindow(
  db: Db,
  authority: Authority,
  incidentPublicId: string,
  input: CorrectImpactWindowInput,
  now: number,
): { correctionId: number } {
  requireEditor(authority);
  const data = parseInput(correctImpactWindowInput, input);
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const incident = findIncident(tx, incidentPublicId);
    const refs = findComponents(tx, data.periods.map((p) => p.componentId), 'periods');
    const periods: (PeriodDraft & { componentId: number; level: IncidentLevel })[] = data.periods.map((p) => ({
      component: refs.get(p.componentId)!.name,
      componentId: refs.get(p.componentId)!.id,
      level: p.level,
      startedAt: p.startedAt,
      endedAt: p.endedAt,
    }));
    const derivedEnd = impactEndOf(periods);
    const impactEndedAt = data.impactEndedAt === undefined ? (derivedEnd === undefined ? incident.impactEndedAt : derivedEnd) : data.impactEndedAt;
    const moments = { startedAt: data.startedAt, mitigatedAt: data.mitigatedAt, impactEndedAt };

    const problems = { ...reasonProblem(data.reason), ...checkPeriods(periods, data.startedAt, now), ...checkIncidentMoments(moments, now) };
    if (incident.status === 'resolved') {
      periods.forEach((p, i) => {
        if (p.endedAt === null) problems[`periods.${i}.endedAt`] = 'This incident is resolved, so every period needs an end.';
      });
    }
    const mismatch = explainImpactEndMismatch(impactEndedAt, periods);
    if (mismatch && !problems.impactEndedAt) problems.impactEndedAt = mismatch;
    if (Object.keys(problems).length > 0) throw new Invalid(problems);

    const before = snapshotWindow(incident, loadIncidentPeriods(tx, incident.id));
    const after = snapshotWindow(moments, periods);
    if (JSON.stringify(before) === JSON.stringify(after)) {
      throw new Invalid({ form: 'Nothing changed: the times and periods are the same as before.' });
    }

    tx.delete(s.impactPeriods).where(eq(s.impactPeriods.incidentId, incident.id)).run();
    for (const p of periods) {
      tx.insert(s.impactPeriods)
        .values({ componentId: p.componentId, incidentId: incident.id, level: p.level, startedAt: p.startedAt, endedAt: p.endedAt, createdAt: now, updatedAt: now })
        .run();
    }
    tx.update(s.incidents).set({ ...moments, updatedAt: now }).where(eq(s.incidents.id, incident.id)).run();
    const correction = tx
      .insert(s.impactCorrections)
      .values({
        incidentId: incident.id,
        reason: data.reason,
        before: JSON.stringify(before),
        after: JSON.stringify(after),
        correctedAt: now,
        authorId: authority.actor.userId,
      })
      .returning({ id: s.impactCorrections.id })
      .get();
    audit({ action: 'incident.correct_impact', entityType: 'incident', entityId: incident.publicId, before, after: { ...after, reason: data.reason } });
    if (data.notify) publishIncidentNotice(db, { event: 'incident.impact_corrected', incidentId: incident.id, note: data.reason }, now);
    return { correctionId: correction.id };
  });
}
