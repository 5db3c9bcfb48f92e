// Incident read models. Visibility is decided here once (every incident but an alert's unpublished
// draft is public) and serves the HTML pages, the JSON API and the feeds alike.
import { and, asc, desc, eq, inArray, min, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { computeDurations, computeShownDurations, type TimelineDurations, type TimelineMoments } from '../domain/durations.ts';
import { loadSite, loadSlaPolicies, policyFor, type SlaPolicy } from './site.ts';
import { describeImpactClass, OPEN_INCIDENT_STATUSES, worstStatus, type ComponentStatus, type IncidentImpact, type IncidentStatus, type MitigationWording } from '../domain/status.ts';

export interface UpdateView {
  publicId: string;
  kind: 'update' | 'apology' | 'correction';
  status: IncidentStatus;
  bodyMd: string;
  bodyHtml: string;
  displayAt: number;
  createdAt: number;
  updatedAt: number;
  editedAt: number | null;
  /** staff, import (brought over from another status page) or alert. */
  origin: 'staff' | 'import' | 'alert';
  componentChanges: { componentId: string; name: string; oldStatus: string; newStatus: string }[];
  revisions: { bodyHtml: string; revisedAt: number }[];
}

export interface AffectedComponent {
  id: number;
  publicId: string;
  slug: string;
  name: string;
  /** The component's own SLA policy (null: the site default). */
  slaPolicyId: number | null;
  /** Worst level this incident put the component in. */
  worst: ComponentStatus;
  /** Level this incident holds it at now (operational once its periods have ended). */
  current: ComponentStatus;
  periods: { level: ComponentStatus; startedAt: number; endedAt: number | null }[];
}

export interface IncidentSummary {
  id: number;
  publicId: string;
  title: string;
  impact: IncidentImpact;
  status: IncidentStatus;
  startedAt: number;
  mitigatedAt: number | null;
  mitigationWording: MitigationWording;
  impactEndedAt: number | null;
  monitoringAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /**
   * When customers were first told: the earliest update's publication (created_at, never its
   * back-dated display time), and for a published draft no earlier than its publication.
   */
  firstUpdateAt: number | null;
  /** When monitoring detected the problem (alert drafts), else null. */
  detectedAt: number | null;
  /** From detection to the first public update; null without either. */
  detectionToFirstUpdateMs: number | null;
  /** The status page it was imported from, else null. */
  importedFrom: string | null;
  /** An alert's draft, not yet published (only staff ever load one). */
  draft: boolean;
  latestUpdate: UpdateView | null;
  /** Every update, newest first (latestUpdate is the first). */
  updates: UpdateView[];
  components: AffectedComponent[];
  durations: TimelineDurations;
  /** The same durations as words show them, from the moments on the minute (see computeShownDurations). */
  shownDurations: TimelineDurations;
  /** False for a closed incident with no impact periods and no timeline moments (e.g. a notice). */
  recordedImpact: boolean;
  /**
   * The impact in the words of the SLA policies covering its components (the site default for an
   * incident without components): the badge, and a note when the policies name it differently.
   */
  impactClass: { badge: string; note: string | null };
}

/**
 * The single visibility rule for incidents shown anywhere in public: an alert's draft stays
 * private until staff publish it. (A draft has no impact periods either, so it counts in no
 * component status, uptime figure or credit until then; see publishDraftIncident.)
 */
export function publicIncidentsWhere(extra?: SQL): SQL | undefined {
  return and(eq(s.incidents.draft, false), extra);
}

/** The first public update from the updates' publication times and a draft's publication. */
export function firstPublicUpdateAt(updateCreatedAts: readonly number[], publishedAt: number | null): number | null {
  if (updateCreatedAts.length === 0) return null;
  return Math.max(Math.min(...updateCreatedAts), publishedAt ?? 0);
}

export function listIncidentIds(db: Db, where: SQL | undefined, limit?: number): number[] {
  const query = db
    .select({ id: s.incidents.id })
    .from(s.incidents)
    .where(publicIncidentsWhere(where))
    .orderBy(desc(s.incidents.startedAt), desc(s.incidents.id));
  return (limit === undefined ? query.all() : query.limit(limit).all()).map((r) => r.id);
}

/** The one rule for open incidents: IN over the open statuses searches incidents_status; "<> 'resolved'" would scan every incident. */
export function openIncidentsWhere(): SQL {
  return inArray(s.incidents.status, OPEN_INCIDENT_STATUSES);
}

export function listActiveIncidents(db: Db, now: number): IncidentSummary[] {
  return loadIncidentSummaries(db, listIncidentIds(db, openIncidentsWhere()), now);
}

function bothDurations(moments: TimelineMoments, now: number) {
  return { durations: computeDurations(moments, now), shownDurations: computeShownDurations(moments, now) };
}

export function loadIncidentSummaries(db: Db, ids: number[], now: number): IncidentSummary[] {
  if (ids.length === 0) return [];
  const updates = loadUpdates(db, ids);
  return summarise(db, ids, now, (id) => (updates.get(id) ?? []).map((u) => u.createdAt)).map((listing) => {
    const own = updates.get(listing.id) ?? [];
    return { ...listing, latestUpdate: own[0] ?? null, updates: own };
  });
}

/** An incident as a list shows it (IncidentCard): everything but its updates' texts. */
export type IncidentListing = Omit<IncidentSummary, 'latestUpdate' | 'updates'>;

/**
 * loadIncidentSummaries without the updates (their texts were most of what /history read): a
 * list needs only when the first was published.
 */
export function loadIncidentListings(db: Db, ids: number[], now: number): IncidentListing[] {
  if (ids.length === 0) return [];
  const firsts = new Map(
    db
      .select({ incidentId: s.incidentUpdates.incidentId, first: min(s.incidentUpdates.createdAt) })
      .from(s.incidentUpdates)
      .where(inArray(s.incidentUpdates.incidentId, ids))
      .groupBy(s.incidentUpdates.incidentId)
      .all()
      .map((r) => [r.incidentId, r.first!]),
  );
  return summarise(db, ids, now, (id) => {
    const first = firsts.get(id);
    return first === undefined ? [] : [first];
  });
}

/** These incidents as lists show them, in this order (their updates' times given, for the first). */
function summarise(db: Db, ids: number[], now: number, updateCreatedAtsOf: (id: number) => number[]): IncidentListing[] {
  const rows = db.select().from(s.incidents).where(inArray(s.incidents.id, ids)).all();
  const components = loadAffectedComponents(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const coveringPolicies = policiesCovering(db);
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const firstUpdateAt = firstPublicUpdateAt(updateCreatedAtsOf(id), row.publishedAt);
    return [
      {
        id: row.id,
        publicId: row.publicId,
        title: row.title,
        impact: row.impact,
        status: row.status,
        startedAt: row.startedAt,
        mitigatedAt: row.mitigatedAt,
        mitigationWording: row.mitigationWording,
        impactEndedAt: row.impactEndedAt,
        monitoringAt: row.monitoringAt,
        resolvedAt: row.resolvedAt,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        firstUpdateAt,
        detectedAt: row.detectedAt,
        detectionToFirstUpdateMs: row.detectedAt === null || firstUpdateAt === null ? null : Math.max(0, firstUpdateAt - row.detectedAt),
        importedFrom: row.importedFrom,
        draft: row.draft,
        components: (components.get(id) ?? []).map((c) => ({ ...c, current: worstStatus(c.periods.filter((p) => p.startedAt <= now && (p.endedAt === null || p.endedAt > now)).map((p) => p.level)) })),
        recordedImpact:
          row.status !== 'resolved' || components.has(id) || row.mitigatedAt !== null || row.impactEndedAt !== null,
        impactClass: describeImpactClass(row.impact, coveringPolicies((components.get(id) ?? []).map((c) => c.slaPolicyId))),
        ...bothDurations(
          {
            startedAt: row.startedAt,
            mitigatedAt: row.mitigatedAt,
            impactEndedAt: row.impactEndedAt,
            resolvedAt: row.resolvedAt,
            firstUpdateAt,
          },
          now,
        ),
      },
    ];
  });
}

/**
 * The distinct policies covering some components (each its own, else the site default); a
 * component under no policy at all counts as one that names no class.
 */
function policiesCovering(db: Db): (componentPolicyIds: (number | null)[]) => Pick<SlaPolicy, 'name' | 'classLabels'>[] {
  const site = loadSite(db);
  const policies = loadSlaPolicies(db);
  const none = { id: -1, name: '', classLabels: {} };
  return (componentPolicyIds) => {
    const ids = componentPolicyIds.length === 0 ? [null] : componentPolicyIds;
    const found = ids.map((policyId) => policyFor(policies, site, policyId) ?? none);
    return [...new Map(found.map((p) => [p.id, p])).values()];
  };
}

/** Updates per incident, newest first, with their component changes and revisions. */
export function loadUpdates(db: Db, incidentIds: number[]): Map<number, UpdateView[]> {
  const rows = db
    .select()
    .from(s.incidentUpdates)
    .where(inArray(s.incidentUpdates.incidentId, incidentIds))
    .orderBy(desc(s.incidentUpdates.displayAt), desc(s.incidentUpdates.id))
    .all();
  if (rows.length === 0) return new Map();
  // Changes and revisions are found through the incidents' ids (a few hundred parameters for the
  // history page), not the updates' (thousands: building and binding them cost more than the
  // search), and grouped by update once rather than filtered per update.
  const ofIncidents = inArray(s.incidentUpdates.incidentId, incidentIds);
  const changes = Map.groupBy(
    db
      .select({
        updateId: s.incidentUpdateComponents.updateId,
        componentId: s.components.publicId,
        name: s.components.name,
        oldStatus: s.incidentUpdateComponents.oldStatus,
        newStatus: s.incidentUpdateComponents.newStatus,
      })
      .from(s.incidentUpdateComponents)
      .innerJoin(s.incidentUpdates, eq(s.incidentUpdates.id, s.incidentUpdateComponents.updateId))
      .innerJoin(s.components, eq(s.components.id, s.incidentUpdateComponents.componentId))
      .where(ofIncidents)
      .orderBy(asc(s.components.position))
      .all(),
    (c) => c.updateId,
  );
  const revisions = Map.groupBy(
    db
      .select({ updateId: s.updateRevisions.updateId, bodyHtml: s.updateRevisions.bodyHtml, revisedAt: s.updateRevisions.revisedAt })
      .from(s.updateRevisions)
      .innerJoin(s.incidentUpdates, eq(s.incidentUpdates.id, s.updateRevisions.updateId))
      .where(ofIncidents)
      .orderBy(desc(s.updateRevisions.revisedAt))
      .all(),
    (r) => r.updateId,
  );
  const result = new Map<number, UpdateView[]>();
  for (const row of rows) {
    let list = result.get(row.incidentId);
    if (!list) result.set(row.incidentId, (list = []));
    list.push({
      publicId: row.publicId,
      kind: row.kind,
      status: row.status,
      bodyMd: row.bodyMd,
      bodyHtml: row.bodyHtml,
      displayAt: row.displayAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      editedAt: row.editedAt,
      origin: row.origin,
      componentChanges: (changes.get(row.id) ?? []).map(({ componentId, name, oldStatus, newStatus }) => ({ componentId, name, oldStatus, newStatus })),
      revisions: (revisions.get(row.id) ?? []).map((r) => ({ bodyHtml: r.bodyHtml, revisedAt: r.revisedAt })),
    });
  }
  return result;
}

function loadAffectedComponents(db: Db, incidentIds: number[]): Map<number, Omit<AffectedComponent, 'current'>[]> {
  const rows = db
    .select({
      incidentId: s.impactPeriods.incidentId,
      componentId: s.components.id,
      publicId: s.components.publicId,
      slug: s.components.slug,
      name: s.components.name,
      slaPolicyId: s.components.slaPolicyId,
      level: s.impactPeriods.level,
      startedAt: s.impactPeriods.startedAt,
      endedAt: s.impactPeriods.endedAt,
    })
    .from(s.impactPeriods)
    .innerJoin(s.components, eq(s.components.id, s.impactPeriods.componentId))
    .where(inArray(s.impactPeriods.incidentId, incidentIds))
    .orderBy(asc(s.components.position), asc(s.components.id), asc(s.impactPeriods.startedAt))
    .all();
  const result = new Map<number, Omit<AffectedComponent, 'current'>[]>();
  for (const row of rows) {
    const list = result.get(row.incidentId!) ?? [];
    let entry = list.find((c) => c.id === row.componentId);
    if (!entry) {
      entry = { id: row.componentId, publicId: row.publicId, slug: row.slug, name: row.name, slaPolicyId: row.slaPolicyId, worst: 'operational', periods: [] };
      list.push(entry);
    }
    entry.periods.push({ level: row.level, startedAt: row.startedAt, endedAt: row.endedAt });
    entry.worst = worstStatus([entry.worst, row.level]);
    result.set(row.incidentId!, list);
  }
  return result;
}

/** Who is looking: the public sees what publicIncidentsWhere allows; staff also see drafts. */
export type Audience = 'public' | 'staff';

export function findIncidentId(db: Db, publicId: string, audience: Audience = 'public'): number | null {
  const byId = eq(s.incidents.publicId, publicId);
  const row = db
    .select({ id: s.incidents.id })
    .from(s.incidents)
    .where(audience === 'staff' ? byId : publicIncidentsWhere(byId))
    .get();
  return row?.id ?? null;
}
