// What an alert webhook does: a new firing alert opens a DRAFT incident (never published on its
// own) with the detection time, and proposes component levels by the source's label rules; alerts
// of one webhook call share one draft; a cleared alert becomes a staff-only "alert cleared" note
// (and ends its proposed level). Drafts and notes are private until staff publish
// (publishDraftIncident). The one public effect is opt-in per component (alertLevels): such a
// component's level is set by the alert itself, on its incident, and restored when it clears.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { COMPONENT_STATUS_LABELS, statusSeverity, type IncidentLevel } from '../../domain/status.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { impactOfSeverity, type ReceivedAlert } from '../alerts/parse-alerts.ts';
import { loadSite } from '../site.ts';
import type { AlertRule } from './alert-sources.ts';
import type { Authority } from './authority.ts';
import { alignImpactEnd, closePeriod, insertIncidentUpdate } from './incident-records.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

export interface AlertSourceRow {
  id: number;
  slug: string;
  name: string;
  rules: AlertRule[];
}

/** A component level an alert proposes for a draft; `to` is set when the alert clears. */
export interface ProposedLevel {
  componentId: string;
  level: AlertRule['level'];
  alertKey: string;
  from: number;
  to: number | null;
}

export interface AlertsOutcome {
  /** Drafts opened by this call (public ids). */
  opened: string[];
  /** Incidents that got a note (an alert cleared, or another alert fired). */
  noted: string[];
  ignored: number;
  /**
   * Components whose level an alert set or changed by itself (automatic levels on: a new level, a
   * worse one, or back to the worst of the alerts still firing when one clears), and those whose
   * level ended because no firing alert holds it any more.
   */
  levelsSet: { component: string; level: AlertRule['level'] }[];
  levelsRestored: string[];
}

export function parseProposals(json: string | null): ProposedLevel[] {
  return json ? (JSON.parse(json) as ProposedLevel[]) : [];
}

function proposalsFor(source: AlertSourceRow, alert: ReceivedAlert): ProposedLevel[] {
  return source.rules
    .filter((r) => alert.labels[r.label] === r.value)
    .map((r) => ({ componentId: r.componentId, level: r.level, alertKey: alert.key, from: alert.startsAt, to: null }));
}

export function receiveAlerts(db: Db, authority: Authority, input: { source: AlertSourceRow; alerts: ReceivedAlert[] }, now: number): AlertsOutcome {
  const { source, alerts } = input;
  const tz = loadSite(db).timeZone;
  const at = (ms: number) => formatInstant(ms, tz, 'datetime');
  // Drafts and notes are private: the write is public only when an alert set, changed or restored
  // a component's level (automatic levels), decided from what happened, not from the settings.
  return runCommand(db, authority.actor, now, ({ tx, audit, markPublic }) => {
    const outcome: AlertsOutcome = { opened: [], noted: [], ignored: 0, levelsSet: [], levelsRestored: [] };
    const note = (incidentId: number, body: string) => tx.insert(s.incidentNotes).values({ incidentId, body, at: now, createdAt: now }).run();
    const firingRow = (key: string) =>
      tx
        .select()
        .from(s.alerts)
        .where(and(eq(s.alerts.sourceId, source.id), eq(s.alerts.key, key), eq(s.alerts.status, 'firing')))
        .orderBy(desc(s.alerts.id))
        .get();
    // One draft per webhook call: an alert already firing in this call's group lends its incident.
    let shared: number | null = null;
    for (const alert of alerts) {
      const row = firingRow(alert.key);
      if (row?.incidentId != null && alert.firing) shared ??= row.incidentId;
    }

    for (const alert of alerts) {
      const row = firingRow(alert.key);
      if (alert.firing) {
        if (row) {
          tx.update(s.alerts).set({ lastReceivedAt: now, updatedAt: now }).where(eq(s.alerts.id, row.id)).run();
          continue;
        }
        let incidentId = shared;
        if (incidentId === null) {
          incidentId = openDraft(tx, source, alert, now);
          shared = incidentId;
          outcome.opened.push(publicIdOf(tx, incidentId));
        } else {
          addProposals(tx, incidentId, proposalsFor(source, alert));
          note(incidentId, `Alert fired at ${at(alert.startsAt)} (${source.name}): ${alert.title}.`);
          outcome.noted.push(publicIdOf(tx, incidentId));
        }
        const { held, changed } = setLevelsFromAlert(tx, incidentId, proposalsFor(source, alert), now);
        for (const c of changed) note(incidentId, `${c.name} set to ${COMPONENT_STATUS_LABELS[c.level]} by the alert (automatic levels are on for it).`);
        tx.insert(s.alerts)
          .values({ sourceId: source.id, key: alert.key, incidentId, status: 'firing', title: alert.title, labels: JSON.stringify(alert.labels), startsAt: alert.startsAt, endsAt: null, lastReceivedAt: now, autoPeriods: JSON.stringify(held), createdAt: now, updatedAt: now })
          .run();
        outcome.levelsSet.push(...changed.map((c) => ({ component: c.componentId, level: c.level })));
      } else {
        if (!row) {
          outcome.ignored++;
          continue;
        }
        const endsAt = Math.max(alert.endsAt ?? now, row.startsAt);
        tx.update(s.alerts).set({ status: 'resolved', endsAt, lastReceivedAt: now, updatedAt: now }).where(eq(s.alerts.id, row.id)).run();
        if (row.incidentId === null) continue;
        endProposals(tx, row.incidentId, alert.key, endsAt);
        note(row.incidentId, `Alert cleared at ${at(endsAt)} (${source.name}): ${row.title}.`);
        const { restored, lowered } = restoreLevels(tx, source, row.incidentId, JSON.parse(row.autoPeriods) as number[], endsAt, now);
        for (const r of restored) {
          note(row.incidentId, `${r.name} restored: the level the alert set ended when it cleared.`);
          outcome.levelsRestored.push(r.componentId);
        }
        for (const l of lowered) {
          note(row.incidentId, `${l.name} set to ${COMPONENT_STATUS_LABELS[l.level]}: the alert that set a worse level cleared, other alerts on it still fire.`);
          outcome.levelsSet.push({ component: l.componentId, level: l.level });
        }
        if (restored.length > 0) alignPublishedImpactEnd(tx, row.incidentId, now);
        outcome.noted.push(publicIdOf(tx, row.incidentId));
      }
    }
    if (outcome.levelsSet.length + outcome.levelsRestored.length > 0) markPublic();
    audit({ action: 'alerts.receive', entityType: 'alert_source', entityId: source.slug, after: { alerts: alerts.map((a) => ({ key: a.key, firing: a.firing })), ...outcome } });
    return outcome;
  }, { public: false });
}

const publicIdOf = (tx: Tx, id: number) => tx.select({ p: s.incidents.publicId }).from(s.incidents).where(eq(s.incidents.id, id)).get()!.p;

function openDraft(tx: Tx, source: AlertSourceRow, alert: ReceivedAlert, now: number): number {
  const incident = tx
    .insert(s.incidents)
    .values({
      publicId: newPublicId(),
      title: alert.title,
      impact: impactOfSeverity(alert.labels.severity),
      status: 'investigating',
      startedAt: alert.startsAt,
      detectedAt: alert.startsAt,
      draft: true,
      proposedComponents: JSON.stringify(proposalsFor(source, alert)),
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: s.incidents.id })
    .get();
  const message = alert.summary.trim() !== '' ? alert.summary : `We are investigating: ${alert.title}.`;
  insertIncidentUpdate(tx, incident.id, { kind: 'update', status: 'investigating', message, authorId: null, origin: 'alert' }, now);
  tx.insert(s.incidentNotes).values({ incidentId: incident.id, body: `Opened as a draft from ${source.name}: ${alert.title}.`, at: now, createdAt: now }).run();
  return incident.id;
}

function readProposals(tx: Tx, incidentId: number): { draft: boolean; list: ProposedLevel[] } {
  const row = tx.select({ draft: s.incidents.draft, proposed: s.incidents.proposedComponents }).from(s.incidents).where(eq(s.incidents.id, incidentId)).get()!;
  return { draft: row.draft, list: parseProposals(row.proposed) };
}

/** Only a draft's proposals change: once published, levels are staff's to set. */
function addProposals(tx: Tx, incidentId: number, added: ProposedLevel[]): void {
  const { draft, list } = readProposals(tx, incidentId);
  if (!draft || added.length === 0) return;
  tx.update(s.incidents).set({ proposedComponents: JSON.stringify([...list, ...added]) }).where(eq(s.incidents.id, incidentId)).run();
}

function endProposals(tx: Tx, incidentId: number, alertKey: string, endsAt: number): void {
  const { draft, list } = readProposals(tx, incidentId);
  if (!draft) return;
  const next = list.map((p) => (p.alertKey === alertKey && p.to === null ? { ...p, to: endsAt } : p));
  tx.update(s.incidents).set({ proposedComponents: JSON.stringify(next) }).where(eq(s.incidents.id, incidentId)).run();
}

/**
 * Automatic levels: for each component the alert maps to whose `alertLevels` is on, an impact
 * period at the rule's level on the alert's incident (a draft too), from the alert's start. Every
 * firing alert records the periods it holds (`autoPeriods`): an open period other firing alerts of
 * the incident hold is shared, and raised to this alert's level if that is worse (a new period from
 * the alert's start, as levels change elsewhere). An open period no firing alert holds is one staff
 * set, and the alert leaves it alone.
 */
function setLevelsFromAlert(tx: Tx, incidentId: number, proposals: ProposedLevel[], now: number) {
  const held: number[] = [];
  const changed: LevelChange[] = [];
  if (proposals.length === 0) return { held, changed };
  const automatic = tx
    .select({ id: s.components.id, publicId: s.components.publicId, name: s.components.name })
    .from(s.components)
    .where(and(inArray(s.components.publicId, proposals.map((p) => p.componentId)), eq(s.components.alertLevels, true)))
    .all();
  const incident = tx.select({ startedAt: s.incidents.startedAt }).from(s.incidents).where(eq(s.incidents.id, incidentId)).get()!;
  const holders = firingHolders(tx, incidentId);
  for (const component of automatic) {
    const level = worstLevel(proposals.filter((p) => p.componentId === component.publicId).map((p) => p.level))!;
    const from = Math.min(Math.max(proposals.find((p) => p.componentId === component.publicId)!.from, incident.startedAt), now);
    const open = tx
      .select({ id: s.impactPeriods.id, level: s.impactPeriods.level, startedAt: s.impactPeriods.startedAt })
      .from(s.impactPeriods)
      .where(and(eq(s.impactPeriods.incidentId, incidentId), eq(s.impactPeriods.componentId, component.id), isNull(s.impactPeriods.endedAt)))
      .get();
    if (!open) {
      const period = tx
        .insert(s.impactPeriods)
        .values({ componentId: component.id, incidentId, level, startedAt: from, endedAt: null, createdAt: now, updatedAt: now })
        .returning({ id: s.impactPeriods.id })
        .get();
      held.push(period.id);
      changed.push({ componentId: component.publicId, name: component.name, level });
      continue;
    }
    const sharing = holders.filter((h) => h.periods.includes(open.id));
    if (sharing.length === 0) continue; // staff's level
    if (statusSeverity(level) <= statusSeverity(open.level)) {
      held.push(open.id);
      continue;
    }
    held.push(changeLevel(tx, open, component.id, incidentId, level, Math.max(from, open.startedAt), sharing, now));
    changed.push({ componentId: component.publicId, name: component.name, level });
  }
  return { held, changed };
}

interface LevelChange {
  componentId: string;
  name: string;
  level: ProposedLevel['level'];
}

function worstLevel(levels: ProposedLevel['level'][]): ProposedLevel['level'] | undefined {
  return levels.reduce<ProposedLevel['level'] | undefined>((worst, l) => (worst === undefined || statusSeverity(l) > statusSeverity(worst) ? l : worst), undefined);
}

/** The incident's firing alerts and the periods each holds. */
function firingHolders(tx: Tx, incidentId: number) {
  return tx
    .select({ id: s.alerts.id, sourceId: s.alerts.sourceId, labels: s.alerts.labels, autoPeriods: s.alerts.autoPeriods })
    .from(s.alerts)
    .where(and(eq(s.alerts.incidentId, incidentId), eq(s.alerts.status, 'firing')))
    .all()
    .map((a) => ({ id: a.id, sourceId: a.sourceId, labels: JSON.parse(a.labels) as Record<string, string>, periods: JSON.parse(a.autoPeriods) as number[] }));
}
type Holder = ReturnType<typeof firingHolders>[number];

/**
 * A held period's level changes at `at`: the period ends there and a new one at `level` starts
 * (in place when `at` is its very start, so no empty period is left); the alerts that held the old
 * period hold the new one. Returns the period now held.
 */
function changeLevel(tx: Tx, open: { id: number; startedAt: number }, componentId: number, incidentId: number, level: ProposedLevel['level'], at: number, holders: Holder[], now: number): number {
  if (at <= open.startedAt) {
    tx.update(s.impactPeriods).set({ level, updatedAt: now }).where(eq(s.impactPeriods.id, open.id)).run();
    return open.id;
  }
  closePeriod(tx, open.id, at, now);
  const next = tx
    .insert(s.impactPeriods)
    .values({ componentId, incidentId, level, startedAt: at, endedAt: null, createdAt: now, updatedAt: now })
    .returning({ id: s.impactPeriods.id })
    .get();
  for (const h of holders) {
    // In place too: the caller may change another of the same alert's periods next.
    h.periods = h.periods.map((id) => (id === open.id ? next.id : id));
    tx.update(s.alerts).set({ autoPeriods: JSON.stringify(h.periods) }).where(eq(s.alerts.id, h.id)).run();
  }
  return next.id;
}

/**
 * When an alert clears, each period it held that is still open (staff may have ended it) ends only
 * if no other firing alert holds it; otherwise it goes to the worst level the alerts still firing
 * give the component (unchanged if that is not better).
 */
function restoreLevels(tx: Tx, source: AlertSourceRow, incidentId: number, periodIds: number[], endsAt: number, now: number) {
  const restored: { componentId: string; name: string }[] = [];
  const lowered: LevelChange[] = [];
  if (periodIds.length === 0) return { restored, lowered };
  const open = tx
    .select({ id: s.impactPeriods.id, level: s.impactPeriods.level, startedAt: s.impactPeriods.startedAt, component: s.components.id, componentId: s.components.publicId, name: s.components.name })
    .from(s.impactPeriods)
    .innerJoin(s.components, eq(s.components.id, s.impactPeriods.componentId))
    .where(and(inArray(s.impactPeriods.id, periodIds), isNull(s.impactPeriods.endedAt)))
    .all();
  const holders = firingHolders(tx, incidentId);
  for (const p of open) {
    const at = Math.max(endsAt, p.startedAt);
    const still = holders.filter((h) => h.periods.includes(p.id));
    if (still.length === 0) {
      closePeriod(tx, p.id, at, now);
      restored.push({ componentId: p.componentId, name: p.name });
      continue;
    }
    // The level each remaining alert gives the component by its source's rules (rules edited since
    // it fired: it keeps the level it holds).
    const remaining = worstLevel(
      still.map((h) => (h.sourceId === source.id ? worstLevel(source.rules.filter((r) => r.componentId === p.componentId && h.labels[r.label] === r.value).map((r) => r.level)) : undefined) ?? (p.level as IncidentLevel)),
    )!;
    if (statusSeverity(remaining) >= statusSeverity(p.level)) continue;
    changeLevel(tx, p, p.component, incidentId, remaining, at, still, now);
    lowered.push({ componentId: p.componentId, name: p.name, level: remaining });
  }
  return { restored, lowered };
}

/** A public incident's customer-impact end follows its periods (as every level change keeps it). */
function alignPublishedImpactEnd(tx: Tx, incidentId: number, now: number): void {
  const incident = tx.select().from(s.incidents).where(eq(s.incidents.id, incidentId)).get()!;
  if (incident.draft) return;
  const periods = tx
    .select({ component: s.impactPeriods.componentId, level: s.impactPeriods.level, startedAt: s.impactPeriods.startedAt, endedAt: s.impactPeriods.endedAt })
    .from(s.impactPeriods)
    .where(eq(s.impactPeriods.incidentId, incidentId))
    .all();
  const moments = alignImpactEnd(periods.map((p) => ({ ...p, component: String(p.component) })), incident);
  tx.update(s.incidents).set({ ...moments, updatedAt: now }).where(eq(s.incidents.id, incidentId)).run();
}
