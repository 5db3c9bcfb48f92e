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
import { COMPONENT_STATUS_LABELS } from '../../domain/status.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { impactOfSeverity, type ReceivedAlert } from '../alerts/parse-alerts.ts';
import { loadSite } from '../site.ts';
import type { AlertRule } from './alert-sources.ts';
import type { Authority } from './authority.ts';
import { alignImpactEnd, insertIncidentUpdate } from './incident-records.ts';
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
  /** Components whose level an alert set by itself (automatic levels on), and those it restored. */
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
  // Drafts and notes are private; only a component with automatic levels makes this a public change.
  const automatic =
    source.rules.length > 0 &&
    db
      .select({ id: s.components.id })
      .from(s.components)
      .where(and(inArray(s.components.publicId, source.rules.map((r) => r.componentId)), eq(s.components.alertLevels, true)))
      .get() !== undefined;
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
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
        const autoPeriods = setLevelsFromAlert(tx, incidentId, proposalsFor(source, alert), now);
        for (const changed of autoPeriods) note(incidentId, `${changed.name} set to ${COMPONENT_STATUS_LABELS[changed.level]} by the alert (automatic levels are on for it).`);
        tx.insert(s.alerts)
          .values({ sourceId: source.id, key: alert.key, incidentId, status: 'firing', title: alert.title, labels: JSON.stringify(alert.labels), startsAt: alert.startsAt, endsAt: null, lastReceivedAt: now, autoPeriods: JSON.stringify(autoPeriods.map((p) => p.periodId)), createdAt: now, updatedAt: now })
          .run();
        outcome.levelsSet.push(...autoPeriods.map((p) => ({ component: p.componentId, level: p.level })));
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
        const restored = restoreLevels(tx, JSON.parse(row.autoPeriods) as number[], endsAt, now);
        for (const r of restored) {
          note(row.incidentId, `${r.name} restored: the level the alert set ended when it cleared.`);
          outcome.levelsRestored.push(r.componentId);
        }
        if (restored.length > 0) alignPublishedImpactEnd(tx, row.incidentId, now);
        outcome.noted.push(publicIdOf(tx, row.incidentId));
      }
    }
    audit({ action: 'alerts.receive', entityType: 'alert_source', entityId: source.slug, after: { alerts: alerts.map((a) => ({ key: a.key, firing: a.firing })), ...outcome } });
    return outcome;
  }, { public: automatic });
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
 * period at the rule's level on the alert's incident (a draft too), from the alert's start — unless
 * the incident already holds the component at a level, which staff set and the alert leaves alone.
 */
function setLevelsFromAlert(tx: Tx, incidentId: number, proposals: ProposedLevel[], now: number) {
  if (proposals.length === 0) return [];
  const automatic = tx
    .select({ id: s.components.id, publicId: s.components.publicId, name: s.components.name })
    .from(s.components)
    .where(and(inArray(s.components.publicId, proposals.map((p) => p.componentId)), eq(s.components.alertLevels, true)))
    .all();
  const incident = tx.select({ startedAt: s.incidents.startedAt }).from(s.incidents).where(eq(s.incidents.id, incidentId)).get()!;
  const set: { periodId: number; componentId: string; name: string; level: ProposedLevel['level'] }[] = [];
  for (const component of automatic) {
    const held = tx
      .select({ id: s.impactPeriods.id })
      .from(s.impactPeriods)
      .where(and(eq(s.impactPeriods.incidentId, incidentId), eq(s.impactPeriods.componentId, component.id), isNull(s.impactPeriods.endedAt)))
      .get();
    if (held) continue;
    // The worst level any rule of this alert gives the component.
    const levels = proposals.filter((p) => p.componentId === component.publicId);
    const level = levels.reduce((worst, p) => (LEVEL_RANK[p.level] > LEVEL_RANK[worst.level] ? p : worst)).level;
    const startedAt = Math.min(Math.max(levels[0]!.from, incident.startedAt), now);
    const period = tx
      .insert(s.impactPeriods)
      .values({ componentId: component.id, incidentId, level, startedAt, endedAt: null, createdAt: now, updatedAt: now })
      .returning({ id: s.impactPeriods.id })
      .get();
    set.push({ periodId: period.id, componentId: component.publicId, name: component.name, level });
  }
  return set;
}

const LEVEL_RANK: Record<ProposedLevel['level'], number> = { degraded_performance: 1, partial_outage: 2, major_outage: 3 };

/** Ends the periods an alert set by itself, where they are still open (staff may have ended them). */
function restoreLevels(tx: Tx, periodIds: number[], endsAt: number, now: number) {
  if (periodIds.length === 0) return [];
  const open = tx
    .select({ id: s.impactPeriods.id, startedAt: s.impactPeriods.startedAt, componentId: s.components.publicId, name: s.components.name })
    .from(s.impactPeriods)
    .innerJoin(s.components, eq(s.components.id, s.impactPeriods.componentId))
    .where(and(inArray(s.impactPeriods.id, periodIds), isNull(s.impactPeriods.endedAt)))
    .all();
  for (const p of open) {
    tx.update(s.impactPeriods).set({ endedAt: Math.max(endsAt, p.startedAt), updatedAt: now }).where(eq(s.impactPeriods.id, p.id)).run();
  }
  return open;
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
