// Past incidents and maintenance by month (site time zone), a few months a page, per component.
import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { monthKey, monthWindow } from '../domain/time-zone.ts';
import { NotFound } from './errors.ts';
import { listIncidentIds, loadIncidentListings, type IncidentListing } from './incidents.ts';
import { listMaintenanceIds, loadMaintenanceSummaries, type MaintenanceSummary } from './maintenance.ts';
import { loadSite, type Site } from './site.ts';

export const MONTHS_PER_PAGE = 3;

export interface HistoryMonth {
  year: number;
  month: number;
  start: number;
  incidents: IncidentListing[];
  maintenance: MaintenanceSummary[];
}

export interface HistoryPage {
  site: Site;
  now: number;
  page: number;
  months: HistoryMonth[];
  hasOlder: boolean;
  components: { slug: string; name: string }[];
  component: { slug: string; name: string } | null;
}

function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function getHistoryPage(db: Db, options: { page: number; componentSlug: string | null }, now: number): HistoryPage {
  const site = loadSite(db);
  const components = db
    .select({ id: s.components.id, slug: s.components.slug, name: s.components.name })
    .from(s.components)
    .orderBy(s.components.name)
    .all();
  const selected = options.componentSlug ? components.find((c) => c.slug === options.componentSlug) : null;
  if (options.componentSlug && !selected) throw new NotFound(`No component ${options.componentSlug}`);
  const page = Math.max(1, Math.floor(options.page));
  const current = monthKey(now, site.timeZone);
  const months: HistoryMonth[] = [];
  for (let i = 0; i < MONTHS_PER_PAGE; i++) {
    const { year, month } = shiftMonth(current.year, current.month, -((page - 1) * MONTHS_PER_PAGE + i));
    const window = monthWindow(year, month, site.timeZone);
    months.push({
      year,
      month,
      start: window.start,
      incidents: loadIncidentListings(db, listIncidentIds(db, incidentFilter(window, selected?.id)), now),
      maintenance: loadMaintenanceSummaries(db, listMaintenanceIds(db, maintenanceFilter(window, selected?.id), 'newest')),
    });
  }
  const oldestShown = months[months.length - 1]!.start;
  const hasOlder =
    listIncidentIds(db, incidentFilter({ start: Number.MIN_SAFE_INTEGER, end: oldestShown }, selected?.id), 1).length > 0 ||
    listMaintenanceIds(db, maintenanceFilter({ start: Number.MIN_SAFE_INTEGER, end: oldestShown }, selected?.id), 'newest', 1)
      .length > 0;
  return {
    site,
    now,
    page,
    months,
    hasOlder,
    components: components.map(({ slug, name }) => ({ slug, name })),
    component: selected ? { slug: selected.slug, name: selected.name } : null,
  };
}

function incidentFilter(window: { start: number; end: number }, componentId: number | undefined) {
  const inWindow = and(gte(s.incidents.startedAt, window.start), lt(s.incidents.startedAt, window.end));
  if (componentId === undefined) return inWindow;
  return and(
    inWindow,
    sql`exists (select 1 from ${s.impactPeriods} where ${s.impactPeriods.incidentId} = ${s.incidents.id} and ${s.impactPeriods.componentId} = ${componentId})`,
  );
}

function maintenanceFilter(window: { start: number; end: number }, componentId: number | undefined) {
  const inWindow = and(
    gte(s.maintenances.scheduledStart, window.start),
    lt(s.maintenances.scheduledStart, window.end),
    inArray(s.maintenances.status, ['in_progress', 'verifying', 'completed', 'cancelled']),
  );
  if (componentId === undefined) return inWindow;
  return and(
    inWindow,
    sql`exists (select 1 from ${s.maintenanceComponents} where ${s.maintenanceComponents.maintenanceId} = ${s.maintenances.id} and ${s.maintenanceComponents.componentId} = ${componentId})`,
  );
}

