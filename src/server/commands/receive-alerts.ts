// What an alert webhook does: a new firing alert opens a DRAFT incident (never published on its
// own) with the detection time, and proposes component levels by the source's label rules; alerts
// of one webhook call share one draft; a cleared alert becomes a staff-only "alert cleared" note
// (and ends its proposed level). Nothing here is public: drafts and notes are private until
// staff publish (publishDraftIncident), so this is a staff-only write.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { impactOfSeverity, type ReceivedAlert } from '../alerts/parse-alerts.ts';
import { loadSite } from '../site.ts';
import type { AlertRule } from './alert-sources.ts';
import type { Authority } from './authority.ts';
import { insertIncidentUpdate } from './incident-records.ts';
import { runStaffCommand } from './run-command.ts';
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
  return runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    const outcome: AlertsOutcome = { opened: [], noted: [], ignored: 0 };
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
        tx.insert(s.alerts)
          .values({ sourceId: source.id, key: alert.key, incidentId, status: 'firing', title: alert.title, labels: JSON.stringify(alert.labels), startsAt: alert.startsAt, endsAt: null, lastReceivedAt: now, createdAt: now, updatedAt: now })
          .run();
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
        outcome.noted.push(publicIdOf(tx, row.incidentId));
      }
    }
    audit({ action: 'alerts.receive', entityType: 'alert_source', entityId: source.slug, after: { alerts: alerts.map((a) => ({ key: a.key, firing: a.firing })), ...outcome } });
    return outcome;
  });
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
