// One public update: status, message, component level changes (which close and open impact
// periods), "failover complete" and "all customers restored". Apologies and corrections are
// updates of their own kind, labelled as such in public.
import { eq, max } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import { COMPONENT_STATUS_LABELS, INCIDENT_STATUSES, UPDATE_KINDS } from '../../domain/status.ts';
import { checkClosingAt, checkIncidentMoments } from '../../domain/timeline-rules.ts';
import type { Db } from '../../../db/client.ts';
import { Invalid } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import {
  alignImpactEnd,
  closePeriod,
  findComponents,
  findIncident,
  insertIncidentUpdate,
  loadIncidentPeriods,
  openPeriod,
  type IncidentLevel,
  type IncidentRow,
  type PeriodRecord,
} from './incident-records.ts';
import { confirmation, incidentLevel, instant, markdown, notify, parseInput } from './input.ts';
import { publishIncidentNotice, type IncidentNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

export const postIncidentUpdateInput = z.object({
  status: z.enum(INCIDENT_STATUSES, { error: 'Choose the incident status.' }),
  kind: z.enum(UPDATE_KINDS, { error: 'Choose update, apology or correction.' }).default('update'),
  message: markdown('Write the update customers will read.'),
  /** New levels; a component not listed keeps its level. */
  components: z
    .array(z.object({ componentId: z.string(), level: z.union([incidentLevel, z.literal('operational')]) }), {
      error: 'List the component level changes.',
    })
    .default([]),
  failoverComplete: confirmation,
  /** When failover/mitigation completed; defaults to now. */
  mitigatedAt: instant('Enter when failover/mitigation completed, or leave it empty for now.').optional(),
  customersRestored: confirmation,
  /** When the last customer was back to normal; defaults to now. */
  restoredAt: instant('Enter when customers were restored, or leave it empty for now.').optional(),
  /**
   * Recording after the fact: when the update and its level changes happened. The page then says
   * when it was recorded too, and time to first update still counts from publication (now).
   */
  displayAt: instant('Enter when this happened, or leave it empty for now.').optional(),
  notify,
});

export type PostIncidentUpdateInput = z.input<typeof postIncidentUpdateInput>;
type Data = z.output<typeof postIncidentUpdateInput>;
type Level = IncidentLevel | 'operational';

interface Plan {
  periods: (Omit<PeriodRecord, 'id'> & { id: number | null })[];
  closes: { id: number; at: number }[];
  opens: { componentId: number; level: IncidentLevel }[];
  announced: { componentId: number; oldStatus: Level; newStatus: Level }[];
}

export function postIncidentUpdate(
  db: Db,
  authority: Authority,
  incidentPublicId: string,
  input: PostIncidentUpdateInput,
  now: number,
): { publicId: string } {
  requireEditor(authority);
  const data = parseInput(postIncidentUpdateInput, input);
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const incident = findIncident(tx, incidentPublicId);
    checkStatus(incident, data);
    const at = checkDisplayAt(tx, incident, data.displayAt, now);
    const periods = loadIncidentPeriods(tx, incident.id);
    const plan = planChanges(tx, periods, data, at);
    const restoredAt = data.customersRestored ? (data.restoredAt ?? at) : null;
    const moments = nextMoments(incident, plan, { ...data, mitigatedAt: data.mitigatedAt ?? (data.failoverComplete ? at : undefined) }, restoredAt, now);

    const update = insertIncidentUpdate(
      tx,
      incident.id,
      { kind: data.kind, status: data.status, message: data.message, displayAt: at, authorId: authority.actor.userId },
      now,
    );
    const { publicId } = update;
    for (const c of plan.closes) closePeriod(tx, c.id, c.at, now);
    for (const o of plan.opens) openPeriod(tx, incident.id, o.componentId, o.level, at, now);
    for (const a of plan.announced) tx.insert(s.incidentUpdateComponents).values({ updateId: update.id, ...a }).run();
    const after = {
      status: data.status,
      monitoringAt: incident.monitoringAt ?? (data.status === 'monitoring' ? at : null),
      ...moments,
    };
    tx.update(s.incidents).set({ ...after, updatedAt: now }).where(eq(s.incidents.id, incident.id)).run();
    audit({
      action: 'incident.update',
      entityType: 'incident',
      entityId: incident.publicId,
      before: { status: incident.status, mitigatedAt: incident.mitigatedAt, impactEndedAt: incident.impactEndedAt },
      // Both times: what the update is about, and when it was recorded (the audit entry's own time).
      after: { ...after, update: publicId, kind: data.kind, componentChanges: plan.announced, displayAt: at, recordedAt: now },
    });
    if (data.notify) publishIncidentNotice(db, { event: updateEvent(data), incidentId: incident.id, updatePublicId: publicId }, now);
    return { publicId };
  });
}

/** What subscribers are told this update is: the most telling of its kind and its ticks. */
function updateEvent(data: Data): IncidentNotice['event'] {
  if (data.kind === 'apology') return 'incident.apology';
  if (data.kind === 'correction') return 'incident.correction';
  if (data.customersRestored) return 'incident.customers_restored';
  if (data.failoverComplete) return 'incident.failover_complete';
  return 'incident.updated';
}

function checkStatus(incident: IncidentRow, data: Data): void {
  if (incident.status === 'resolved') {
    if (data.status !== 'resolved') {
      throw new Invalid({ status: 'This incident is resolved, so its updates keep the status Resolved. If the problem is back, open a new incident.' });
    }
    if (data.components.length > 0 || data.failoverComplete || data.customersRestored) {
      throw new Invalid({ components: 'This incident is resolved. To change when customers were affected, correct the impact window.' });
    }
  } else if (data.status === 'resolved') {
    throw new Invalid({
      status: 'Use "Resolve incident" to close it: it checks that no customer is still affected and asks you to confirm the service was verified end to end.',
    });
  }
}

/**
 * The time an update is about: now, or a back-dated time no later than now, no earlier than the
 * incident's start, and no earlier than its latest update, so the timeline is recorded in order.
 */
function checkDisplayAt(tx: Tx, incident: IncidentRow, displayAt: number | undefined, now: number): number {
  if (displayAt === undefined) return now;
  const latest = tx
    .select({ at: max(s.incidentUpdates.displayAt) })
    .from(s.incidentUpdates)
    .where(eq(s.incidentUpdates.incidentId, incident.id))
    .get()?.at;
  if (displayAt > now) throw new Invalid({ displayAt: 'This time is in the future. Leave it empty to post now.' });
  if (displayAt < incident.startedAt) throw new Invalid({ displayAt: 'This is before the incident started. Correct the impact window first if it started earlier.' });
  if (latest != null && displayAt < latest) {
    throw new Invalid({ displayAt: 'This is before the latest update. Record what happened in order, oldest first, or post a correction.' });
  }
  return displayAt;
}

/** What the level changes and "all customers restored" do to the periods, before any write. */
function planChanges(tx: Tx, periods: PeriodRecord[], data: Data, now: number): Plan {
  const refs = findComponents(tx, data.components.map((c) => c.componentId), 'components');
  if (refs.size !== data.components.length) throw new Invalid({ components: 'Each component can be changed once per update.' });
  const plan: Plan = { periods: periods.map((p) => ({ ...p })), closes: [], opens: [], announced: [] };
  const errors: Record<string, string> = {};

  for (const change of data.components) {
    const ref = refs.get(change.componentId)!;
    const current = plan.periods.find((p) => p.componentId === ref.id && p.endedAt === null);
    const currentLevel: Level = current?.level ?? 'operational';
    if (currentLevel === change.level) continue;
    if (current) {
      if (data.displayAt !== undefined && now < current.startedAt) {
        errors.displayAt = `${ref.name} has been at its current level only since after this time; record a time after that.`;
      }
      // A period back-dated a moment ahead (clock skew) must not end before it starts.
      current.endedAt = Math.max(now, current.startedAt);
      plan.closes.push({ id: current.id!, at: current.endedAt });
    }
    if (change.level !== 'operational') {
      plan.periods.push({ id: null, componentId: ref.id, componentPublicId: ref.publicId, component: ref.name, level: change.level, startedAt: now, endedAt: null });
      plan.opens.push({ componentId: ref.id, level: change.level });
    }
    plan.announced.push({ componentId: ref.id, oldStatus: currentLevel, newStatus: change.level });
  }

  if (data.customersRestored) {
    const restoredAt = data.restoredAt ?? now;
    const stillAffected = data.components.filter((c) => c.level !== 'operational');
    if (stillAffected.length > 0) {
      const names = stillAffected.map((c) => `${refs.get(c.componentId)!.name} (${COMPONENT_STATUS_LABELS[c.level]})`).join(', ');
      errors.components = `You ticked "All customers restored" but still mark ${names} as affected. Set them to Operational or untick the box.`;
    }
    const problem = checkClosingAt(plan.periods, restoredAt, now);
    if (problem) errors.restoredAt = problem;
    for (const p of plan.periods.filter((q) => q.endedAt === null)) {
      p.endedAt = restoredAt;
      plan.closes.push({ id: p.id!, at: restoredAt });
      plan.announced.push({ componentId: p.componentId, oldStatus: p.level, newStatus: 'operational' });
    }
  }
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return plan;
}

/** Mitigation and impact end after this update, refused when the timeline would be impossible. */
function nextMoments(incident: IncidentRow, plan: Plan, data: Data, restoredAt: number | null, now: number) {
  const errors: Record<string, string> = {};
  let mitigatedAt = incident.mitigatedAt;
  if (data.failoverComplete) {
    if (incident.mitigatedAt !== null) {
      errors.failoverComplete = 'Failover/mitigation was already marked complete. To change that time, correct the impact window.';
    } else {
      mitigatedAt = data.mitigatedAt ?? now;
    }
  }
  if (restoredAt !== null && incident.impactEndedAt !== null) {
    errors.customersRestored = 'Customers are already marked restored. To change that time, correct the impact window.';
  }
  const ownEnd = restoredAt !== null && plan.periods.length === 0 ? restoredAt : incident.impactEndedAt;
  const moments = alignImpactEnd(plan.periods, { impactEndedAt: ownEnd, mitigatedAt });
  const problems = checkIncidentMoments({ startedAt: incident.startedAt, ...moments }, now);
  if (problems.mitigatedAt && data.failoverComplete) errors.mitigatedAt = problems.mitigatedAt;
  if (problems.impactEndedAt) errors[restoredAt !== null ? 'restoredAt' : 'components'] = problems.impactEndedAt;
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return moments;
}
