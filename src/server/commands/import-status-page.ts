// Moving in from another status page: its groups, components, incidents with their updates
// (back-dated to when they were posted there, marked imported) and maintenance, in one
// transaction. import_records remembers what came from where, so a second run updates what it
// brought last time and adds only what is new: it never duplicates.
//
// What the documents cannot say is decided by plain rules: an update's affected_components
// give each component's levels over time; an incident that lists components without such
// changes puts them at the level its impact suggests (critical → major outage, major → partial
// outage, minor → degraded performance) from its start to its resolution; a "postmortem"
// status is a resolved incident, with its post-mortem when the page publishes the text.
import { and, eq } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { newPublicId } from '../../../db/ids.ts';
import type { Db } from '../../../db/client.ts';
import { MAINTENANCE_STATUSES, type ComponentStatus, type IncidentImpact, type IncidentStatus, type MaintenanceStatus } from '../../domain/status.ts';
import type { ImportedIncident, ImportedMaintenance, ImportedUpdate, StatusPageDocuments } from '../import/status-page-documents.ts';
import { requireRole } from '../auth/staff.ts';
import type { Authority } from './authority.ts';
import { nextPosition, SLUG_PATTERN } from './components.ts';
import { renderBody } from './input.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

type Kind = (typeof s.importRecords.$inferSelect)['kind'];
type IncidentLevel = 'degraded_performance' | 'partial_outage' | 'major_outage';

export interface ImportCounts {
  groups: { created: number; updated: number };
  components: { created: number; updated: number };
  incidents: { created: number; updated: number };
  updates: { created: number };
  maintenance: { created: number; updated: number };
}

const INCIDENT_STATUSES: readonly IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const LEVEL_OF_IMPACT: Record<IncidentImpact, IncidentLevel | null> = { none: null, minor: 'degraded_performance', major: 'partial_outage', critical: 'major_outage' };
const INCIDENT_LEVELS: readonly string[] = ['degraded_performance', 'partial_outage', 'major_outage'];

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};
const incidentStatusOf = (status: string): IncidentStatus => (INCIDENT_STATUSES.includes(status as IncidentStatus) ? (status as IncidentStatus) : 'resolved');
const impactOf = (impact: string | null | undefined): IncidentImpact => (impact === 'minor' || impact === 'major' || impact === 'critical' ? impact : 'none');
const REUSABLE_ID = /^[a-z0-9]{12}$/;

export function importStatusPage(db: Db, authority: Authority, input: { source: string; documents: StatusPageDocuments }, now: number): ImportCounts {
  requireRole(authority, 'owner');
  const { source, documents } = input;
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const counts: ImportCounts = {
      groups: { created: 0, updated: 0 },
      components: { created: 0, updated: 0 },
      incidents: { created: 0, updated: 0 },
      updates: { created: 0 },
      maintenance: { created: 0, updated: 0 },
    };
    const records = recordsOf(tx, source, now);
    const groupIds = importGroups(tx, records, documents, counts, now);
    const componentIds = importComponents(tx, records, documents, groupIds, counts, now);
    for (const incident of documents.incidents) importIncident(tx, records, source, incident, componentIds, counts, now);
    for (const window of documents.scheduledMaintenances) importMaintenance(tx, records, source, window, componentIds, counts, now);
    audit({ action: 'import.run', entityType: 'import', entityId: source, after: { ...counts, recordedAt: now } });
    return counts;
  });
}

/** The import_records of one source. */
interface Records {
  find: (kind: Kind, externalId: string) => number | null;
  remember: (kind: Kind, externalId: string, localId: number) => void;
}

function recordsOf(tx: Tx, source: string, now: number): Records {
  return {
    find: (kind, externalId) =>
      tx
        .select({ localId: s.importRecords.localId })
        .from(s.importRecords)
        .where(and(eq(s.importRecords.source, source), eq(s.importRecords.kind, kind), eq(s.importRecords.externalId, externalId)))
        .get()?.localId ?? null,
    remember: (kind, externalId, localId) => {
      tx.insert(s.importRecords).values({ source, kind, externalId, localId, importedAt: now }).run();
    },
  };
}

/** The source's own id when it fits Candor's ids and is free (links keep working), else a new one. */
function publicIdFor(tx: Tx, table: typeof s.incidents | typeof s.components | typeof s.componentGroups | typeof s.maintenances, externalId: string): string {
  if (!REUSABLE_ID.test(externalId)) return newPublicId();
  const taken = tx.select({ id: table.id }).from(table).where(eq(table.publicId, externalId)).get();
  return taken ? newPublicId() : externalId;
}

function importGroups(tx: Tx, records: Records, documents: StatusPageDocuments, counts: ImportCounts, now: number): Map<string, number> {
  const ids = new Map<string, number>();
  const groups = documents.components.filter((c) => c.group === true).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  for (const g of groups) {
    const existing = records.find('group', g.id);
    const values = { name: g.name.slice(0, 100), description: g.description?.slice(0, 500) || null };
    if (existing !== null) {
      tx.update(s.componentGroups).set({ ...values, updatedAt: now }).where(eq(s.componentGroups.id, existing)).run();
      ids.set(g.id, existing);
      counts.groups.updated++;
      continue;
    }
    const position = nextPosition(tx, null);
    const row = tx
      .insert(s.componentGroups)
      .values({ publicId: publicIdFor(tx, s.componentGroups, g.id), ...values, position, createdAt: now, updatedAt: now })
      .returning({ id: s.componentGroups.id })
      .get();
    records.remember('group', g.id, row.id);
    ids.set(g.id, row.id);
    counts.groups.created++;
  }
  return ids;
}

function uniqueSlug(tx: Tx, name: string): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'component';
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (SLUG_PATTERN.test(slug) && !tx.select({ id: s.components.id }).from(s.components).where(eq(s.components.slug, slug)).get()) return slug;
  }
}

function importComponents(tx: Tx, records: Records, documents: StatusPageDocuments, groupIds: Map<string, number>, counts: ImportCounts, now: number): Map<string, number> {
  const ids = new Map<string, number>();
  const leaves = documents.components.filter((c) => c.group !== true).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  for (const c of leaves) {
    const groupId = c.group_id ? (groupIds.get(c.group_id) ?? null) : null;
    const startDate = c.start_date && /^\d{4}-\d{2}-\d{2}$/.test(c.start_date) ? c.start_date : null;
    const values = { name: c.name.slice(0, 100), description: c.description?.slice(0, 500) || null, groupId, startDate };
    const existing = records.find('component', c.id);
    if (existing !== null) {
      tx.update(s.components).set({ ...values, updatedAt: now }).where(eq(s.components.id, existing)).run();
      ids.set(c.id, existing);
      counts.components.updated++;
      continue;
    }
    const position = nextPosition(tx, groupId);
    const row = tx
      .insert(s.components)
      .values({ publicId: publicIdFor(tx, s.components, c.id), slug: uniqueSlug(tx, c.name), ...values, position, createdAt: ms(c.created_at) ?? now, updatedAt: now })
      .returning({ id: s.components.id })
      .get();
    records.remember('component', c.id, row.id);
    ids.set(c.id, row.id);
    counts.components.created++;
  }
  return ids;
}

/** Oldest first, as the history happened (the documents list newest first). */
const chronological = (updates: ImportedUpdate[]) => [...updates].sort((a, b) => (ms(a.display_at) ?? ms(a.created_at)!) - (ms(b.display_at) ?? ms(b.created_at)!));

interface Period {
  componentId: number;
  level: IncidentLevel;
  startedAt: number;
  endedAt: number | null;
}

/** Each component's levels over time from the updates' announced changes, or from the impact. */
function periodsOf(incident: ImportedIncident, componentIds: Map<string, number>, startedAt: number, endedAt: number | null): Period[] {
  const periods: Period[] = [];
  const open = new Map<number, Period>();
  let announced = false;
  for (const u of chronological(incident.incident_updates)) {
    const at = Math.max(ms(u.display_at) ?? ms(u.created_at)!, startedAt);
    for (const change of u.affected_components ?? []) {
      const componentId = componentIds.get(change.code);
      if (componentId === undefined) continue;
      announced = true;
      const current = open.get(componentId);
      const level = INCIDENT_LEVELS.includes(change.new_status ?? '') ? (change.new_status as IncidentLevel) : null;
      if (current && current.level === level) continue;
      if (current) {
        current.endedAt = at;
        open.delete(componentId);
      }
      if (level) {
        const period = { componentId, level, startedAt: at, endedAt: null };
        periods.push(period);
        open.set(componentId, period);
      }
    }
  }
  if (!announced) {
    const level = LEVEL_OF_IMPACT[impactOf(incident.impact)];
    for (const ref of incident.components ?? []) {
      const componentId = componentIds.get(ref.id);
      if (componentId !== undefined && level) periods.push({ componentId, level, startedAt, endedAt });
    }
  }
  // A resolved incident leaves nobody affected.
  if (endedAt !== null) for (const p of periods) if (p.endedAt === null) p.endedAt = Math.max(endedAt, p.startedAt);
  return periods;
}

function importIncident(tx: Tx, records: Records, source: string, incident: ImportedIncident, componentIds: Map<string, number>, counts: ImportCounts, now: number): void {
  const createdAt = ms(incident.created_at) ?? now;
  const startedAt = Math.min(ms(incident.started_at) ?? createdAt, createdAt);
  const status = incidentStatusOf(incident.status);
  const resolvedAt = status === 'resolved' ? (ms(incident.resolved_at) ?? ms(incident.updated_at) ?? createdAt) : null;
  const periods = periodsOf(incident, componentIds, startedAt, resolvedAt);
  const ends = periods.map((p) => p.endedAt);
  const impactEndedAt = ends.length > 0 ? (ends.includes(null) ? null : Math.max(...(ends as number[]))) : resolvedAt;
  const values = {
    title: incident.name.slice(0, 200),
    impact: impactOf(incident.impact),
    status,
    startedAt,
    mitigatedAt: impactEndedAt,
    impactEndedAt,
    monitoringAt: ms(incident.monitoring_at),
    resolvedAt,
    importedFrom: source,
    updatedAt: ms(incident.updated_at) ?? createdAt,
  };
  let id = records.find('incident', incident.id);
  if (id !== null) {
    tx.update(s.incidents).set(values).where(eq(s.incidents.id, id)).run();
    tx.delete(s.impactPeriods).where(eq(s.impactPeriods.incidentId, id)).run();
    counts.incidents.updated++;
  } else {
    id = tx
      .insert(s.incidents)
      .values({ publicId: publicIdFor(tx, s.incidents, incident.id), ...values, createdAt })
      .returning({ id: s.incidents.id })
      .get().id;
    records.remember('incident', incident.id, id);
    counts.incidents.created++;
  }
  for (const p of periods) tx.insert(s.impactPeriods).values({ ...p, incidentId: id, createdAt: now, updatedAt: now }).run();
  for (const u of incident.incident_updates) importUpdate(tx, records, id, u, componentIds, counts, now);
  if (incident.postmortem_body && incident.postmortem_body.trim() !== '' && !tx.select({ id: s.postmortems.id }).from(s.postmortems).where(eq(s.postmortems.incidentId, id)).get()) {
    const publishedAt = ms(incident.postmortem_published_at) ?? resolvedAt ?? createdAt;
    tx.insert(s.postmortems)
      .values({ incidentId: id, status: 'published', ...renderBody(incident.postmortem_body), publishedAt, createdAt: publishedAt, updatedAt: publishedAt })
      .run();
  }
}

function importUpdate(tx: Tx, records: Records, incidentId: number, u: ImportedUpdate, componentIds: Map<string, number>, counts: ImportCounts, now: number): void {
  const createdAt = ms(u.created_at) ?? now;
  const displayAt = ms(u.display_at) ?? createdAt;
  const body = renderBody(u.body.trim() === '' ? '(No text.)' : u.body);
  const existing = records.find('incident_update', u.id);
  if (existing !== null) {
    tx.update(s.incidentUpdates).set({ ...body, status: incidentStatusOf(u.status), displayAt }).where(eq(s.incidentUpdates.id, existing)).run();
    return;
  }
  const row = tx
    .insert(s.incidentUpdates)
    .values({ publicId: newPublicId(), incidentId, kind: 'update', status: incidentStatusOf(u.status), ...body, displayAt, origin: 'import', createdAt, updatedAt: createdAt })
    .returning({ id: s.incidentUpdates.id })
    .get();
  records.remember('incident_update', u.id, row.id);
  counts.updates.created++;
  const seen = new Set<number>();
  for (const change of u.affected_components ?? []) {
    const componentId = componentIds.get(change.code);
    if (componentId === undefined || seen.has(componentId)) continue;
    seen.add(componentId);
    tx.insert(s.incidentUpdateComponents)
      .values({ updateId: row.id, componentId, oldStatus: (change.old_status ?? 'operational') as ComponentStatus, newStatus: (change.new_status ?? 'operational') as ComponentStatus })
      .run();
  }
}

function importMaintenance(tx: Tx, records: Records, source: string, m: ImportedMaintenance, componentIds: Map<string, number>, counts: ImportCounts, now: number): void {
  const createdAt = ms(m.created_at) ?? now;
  const scheduledStart = ms(m.scheduled_for) ?? createdAt;
  const scheduledEnd = Math.max(ms(m.scheduled_until) ?? scheduledStart, scheduledStart + 1);
  const status: MaintenanceStatus = (MAINTENANCE_STATUSES as readonly string[]).includes(m.status) ? (m.status as MaintenanceStatus) : 'completed';
  const updates = chronological(m.incident_updates);
  const firstAt = (wanted: string) => {
    const u = updates.find((x) => x.status === wanted);
    return u ? (ms(u.display_at) ?? ms(u.created_at)) : null;
  };
  const started = status === 'in_progress' || status === 'verifying' || status === 'completed';
  const actualStart = started ? (firstAt('in_progress') ?? scheduledStart) : null;
  const actualEnd = status === 'completed' ? Math.max(ms(m.resolved_at) ?? firstAt('completed') ?? scheduledEnd, actualStart ?? 0) : null;
  const values = {
    title: m.name.slice(0, 200),
    status,
    scheduledStart,
    scheduledEnd,
    actualStart,
    actualEnd,
    verifyingAt: status === 'verifying' || status === 'completed' ? (firstAt('verifying') ?? ms(m.monitoring_at)) : null,
    announcedAt: createdAt,
    importedFrom: source,
    updatedAt: ms(m.updated_at) ?? createdAt,
  };
  let id = records.find('maintenance', m.id);
  if (id !== null) {
    tx.update(s.maintenances).set(values).where(eq(s.maintenances.id, id)).run();
    tx.delete(s.impactPeriods).where(eq(s.impactPeriods.maintenanceId, id)).run();
    tx.delete(s.maintenanceComponents).where(eq(s.maintenanceComponents.maintenanceId, id)).run();
    counts.maintenance.updated++;
  } else {
    id = tx.insert(s.maintenances).values({ publicId: publicIdFor(tx, s.maintenances, m.id), ...values, createdAt }).returning({ id: s.maintenances.id }).get().id;
    records.remember('maintenance', m.id, id);
    counts.maintenance.created++;
  }
  const components = new Set((m.components ?? []).flatMap((c) => (componentIds.has(c.id) ? [componentIds.get(c.id)!] : [])));
  for (const componentId of components) {
    tx.insert(s.maintenanceComponents).values({ maintenanceId: id, componentId }).run();
    if (actualStart !== null) {
      tx.insert(s.impactPeriods)
        .values({ componentId, maintenanceId: id, level: 'under_maintenance', startedAt: actualStart, endedAt: actualEnd, createdAt: now, updatedAt: now })
        .run();
    }
  }
  for (const u of m.incident_updates) {
    const displayAt = ms(u.display_at) ?? ms(u.created_at) ?? now;
    const updateStatus: MaintenanceStatus = (MAINTENANCE_STATUSES as readonly string[]).includes(u.status) ? (u.status as MaintenanceStatus) : status;
    const body = renderBody(u.body.trim() === '' ? '(No text.)' : u.body);
    const existing = records.find('maintenance_update', u.id);
    if (existing !== null) {
      tx.update(s.maintenanceUpdates).set({ ...body, status: updateStatus, displayAt }).where(eq(s.maintenanceUpdates.id, existing)).run();
      continue;
    }
    const row = tx
      .insert(s.maintenanceUpdates)
      .values({ publicId: newPublicId(), maintenanceId: id, status: updateStatus, ...body, displayAt, createdAt: ms(u.created_at) ?? now, updatedAt: ms(u.created_at) ?? now })
      .returning({ id: s.maintenanceUpdates.id })
      .get();
    records.remember('maintenance_update', u.id, row.id);
    counts.updates.created++;
  }
}
