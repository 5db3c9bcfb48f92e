// The eight `/api/v2/` documents, built on the same read models as the pages: component status
// from loadComponentHealth, incidents through the one visibility rule, maintenance summaries.
import { inArray, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { ACTIVE_MAINTENANCE_STATUSES } from '../../domain/status.ts';
import { loadComponentHealth } from '../component-health.ts';
import { listIncidentIds, loadIncidentSummaries, openIncidentsWhere } from '../incidents.ts';
import { loadLastChangeAt } from '../last-change.ts';
import { listMaintenanceIds, loadMaintenanceSummaries } from '../maintenance.ts';
import { loadSite, type Site } from '../site.ts';
import {
  serialiseComponents,
  serialiseIncident,
  serialiseMaintenance,
  serialisePage,
  serialiseStatus,
  type ApiComponent,
  type ApiIncident,
  type ApiMaintenance,
  type ApiPage,
  type ApiStatus,
  type ComponentRecord,
  type GroupRecord,
} from './status-api-objects.ts';

/** Every list is capped, newest first, as clients of the standard expect. */
export const API_LIST_LIMIT = 50;

interface Basis {
  site: Site;
  page: ApiPage;
  status: ApiStatus;
  components: ApiComponent[];
  componentsById: Map<string, ApiComponent>;
}

function loadBasis(db: Db, now: number): Basis {
  const site = loadSite(db);
  // Only the current status is needed: one day of bars keeps the health query small.
  const health = loadComponentHealth(db, site, now, { days: 1 });
  const extras = new Map(
    db
      .select({
        id: s.components.id,
        showcase: s.components.showcase,
        onlyShowIfDegraded: s.components.onlyShowIfDegraded,
        createdAt: s.components.createdAt,
        updatedAt: s.components.updatedAt,
      })
      .from(s.components)
      .all()
      .map((row) => [row.id, row]),
  );
  const records: ComponentRecord[] = health.flatMap((h) => {
    const extra = extras.get(h.id);
    if (!extra) return [];
    const { showcase, onlyShowIfDegraded, createdAt, updatedAt } = extra;
    const { id, publicId, name, description, status, groupId, position, startDate } = h;
    return [{ id, publicId, name, description, status, groupId, position, startDate, showcase, onlyShowIfDegraded, createdAt, updatedAt }];
  });
  const groups: GroupRecord[] = db
    .select({
      id: s.componentGroups.id,
      publicId: s.componentGroups.publicId,
      name: s.componentGroups.name,
      description: s.componentGroups.description,
      position: s.componentGroups.position,
      createdAt: s.componentGroups.createdAt,
      updatedAt: s.componentGroups.updatedAt,
    })
    .from(s.componentGroups)
    .all();
  const components = serialiseComponents(groups, records, site.publicId);
  return {
    site,
    page: serialisePage(site, loadLastChangeAt(db)),
    status: serialiseStatus(records),
    components,
    componentsById: new Map(components.map((c) => [c.id, c])),
  };
}

function incidentsOf(db: Db, basis: Basis, now: number, which: 'all' | 'unresolved'): ApiIncident[] {
  const ids = listIncidentIds(db, which === 'unresolved' ? openIncidentsWhere() : undefined, API_LIST_LIMIT);
  return loadIncidentSummaries(db, ids, now).map((incident) => serialiseIncident(incident, incident.updates, basis.componentsById, basis.site));
}

type MaintenanceSelection = 'all' | 'upcoming' | 'active' | 'summary';

const MAINTENANCE_FILTERS = {
  all: undefined,
  upcoming: eq(s.maintenances.status, 'scheduled'),
  active: inArray(s.maintenances.status, ['in_progress', 'verifying']),
  summary: inArray(s.maintenances.status, ACTIVE_MAINTENANCE_STATUSES),
} as const;

function maintenancesOf(db: Db, basis: Basis, which: MaintenanceSelection): ApiMaintenance[] {
  const ids = listMaintenanceIds(db, MAINTENANCE_FILTERS[which], 'newest', API_LIST_LIMIT);
  return loadMaintenanceSummaries(db, ids).map((m) => serialiseMaintenance(m, basis.componentsById, basis.site));
}

export function getStatusDocument(db: Db, now: number) {
  const basis = loadBasis(db, now);
  return { page: basis.page, status: basis.status };
}

export function getSummaryDocument(db: Db, now: number) {
  const basis = loadBasis(db, now);
  return {
    page: basis.page,
    components: basis.components,
    incidents: incidentsOf(db, basis, now, 'unresolved'),
    scheduled_maintenances: maintenancesOf(db, basis, 'summary'),
    status: basis.status,
  };
}

export function getComponentsDocument(db: Db, now: number) {
  const basis = loadBasis(db, now);
  return { page: basis.page, components: basis.components };
}

export function getIncidentsDocument(db: Db, now: number, which: 'all' | 'unresolved') {
  const basis = loadBasis(db, now);
  return { page: basis.page, incidents: incidentsOf(db, basis, now, which) };
}

export function getMaintenancesDocument(db: Db, now: number, which: 'all' | 'upcoming' | 'active') {
  const basis = loadBasis(db, now);
  return { page: basis.page, scheduled_maintenances: maintenancesOf(db, basis, which) };
}

/** One incident as the standard API shows it, with the page and its status: a notification's webhook body. */
export function getIncidentApiObject(db: Db, incidentId: number, now: number) {
  const basis = loadBasis(db, now);
  const [summary] = loadIncidentSummaries(db, [incidentId], now);
  if (!summary) return null;
  const { updates } = summary;
  const incident = serialiseIncident(summary, updates, basis.componentsById, basis.site);
  return { site: basis.site, page: basis.page, status: basis.status, summary, updates, incident };
}

/** One maintenance window as the standard API shows it, with the page and its status. */
export function getMaintenanceApiObject(db: Db, maintenanceId: number, now: number) {
  const basis = loadBasis(db, now);
  const [summary] = loadMaintenanceSummaries(db, [maintenanceId]);
  if (!summary) return null;
  return { site: basis.site, page: basis.page, status: basis.status, summary, maintenance: serialiseMaintenance(summary, basis.componentsById, basis.site) };
}
