// Current status, daily bars and window availability for every component, from indexed range
// queries over impact periods and maintenance windows (never a scan of all history).
import { and, asc, eq, gt, gte, inArray, isNull, lt, min, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { computeAvailability, DEFAULT_WEIGHTS, type Interval } from '../domain/availability.ts';
import { computeDailyBars, NARROW_SCREEN_DAYS, type BarPeriod, type DayBar } from '../domain/daily-bars.ts';
import { evaluateMaintenanceWindows, type MaintenanceEvaluation } from '../domain/maintenance-policy.ts';
import { deriveComponentStatus, type ComponentStatus, type MaintenanceStatus } from '../domain/status.ts';
import { lastDays, zonedMidnight } from '../domain/time-zone.ts';
import { loadSlaPolicies, maintenanceRulesOf, policyFor, type Site, type SlaPolicy } from './site.ts';

export interface ComponentHealth {
  id: number;
  publicId: string;
  slug: string;
  name: string;
  description: string | null;
  groupId: number | null;
  position: number;
  startDate: string | null;
  status: ComponentStatus;
  bars: DayBar[];
  /** Availability over the bars' window, null when the component did not exist yet. */
  availability: number | null;
  /** Availability over the last NARROW_SCREEN_DAYS, the bars a phone shows. */
  recentAvailability: number | null;
  policy: SlaPolicy | null;
  /**
   * Since when monitoring holds the component at its level by itself (automatic levels from an
   * alert whose incident is still a draft), else null: the page says so, as the explanation.
   */
  monitoringSince: number | null;
}

export interface Group {
  id: number;
  publicId: string;
  name: string;
  description: string | null;
  position: number;
}

const YEAR_MS = 366 * 86_400_000;

export function loadGroups(db: Db): Group[] {
  return db
    .select({
      id: s.componentGroups.id,
      publicId: s.componentGroups.publicId,
      name: s.componentGroups.name,
      description: s.componentGroups.description,
      position: s.componentGroups.position,
    })
    .from(s.componentGroups)
    .orderBy(asc(s.componentGroups.position), asc(s.componentGroups.id))
    .all();
}

export function loadComponentHealth(
  db: Db,
  site: Site,
  now: number,
  options: { days?: number; componentIds?: number[] } = {},
): ComponentHealth[] {
  const days = options.days ?? site.historyDays;
  const rows = db
    .select()
    .from(s.components)
    .where(options.componentIds ? inArray(s.components.id, options.componentIds) : undefined)
    .orderBy(asc(s.components.position), asc(s.components.id))
    .all();
  if (rows.length === 0) return [];
  const windowDays = lastDays(now, site.timeZone, days);
  const windowStart = windowDays[0]!.start;
  const recentStart = windowDays[Math.max(0, windowDays.length - NARROW_SCREEN_DAYS)]!.start;
  const periods = loadPeriodsSince(db, windowStart, now, rows.map((r) => r.id));
  const policies = loadSlaPolicies(db);
  const excused = loadExcusedIntervals(db, site, policies, windowStart, now, rows);
  const monitoring = loadMonitoringLevels(db, rows.map((r) => r.id));
  return rows.map((row) => {
    const policy = policyFor(policies, site, row.slaPolicyId);
    const weights = policy?.weights ?? DEFAULT_WEIGHTS;
    const own = periods.get(row.id) ?? [];
    const existsFrom = row.startDate ? zonedMidnight(row.startDate, site.timeZone) : null;
    const ownExcused = excused.get(row.id) ?? [];
    const bars = computeDailyBars({ now, timeZone: site.timeZone, days, periods: own, weights, existsFrom, excused: ownExcused });
    const availabilityFrom = (start: number) =>
      computeAvailability({ window: { start, end: now }, periods: own, weights, existsFrom, excused: ownExcused, now }).availability;
    const availability = availabilityFrom(windowStart);
    return {
      id: row.id,
      publicId: row.publicId,
      slug: row.slug,
      name: row.name,
      description: row.description,
      groupId: row.groupId,
      position: row.position,
      startDate: row.startDate,
      status: deriveComponentStatus(own, now),
      monitoringSince: monitoring.get(row.id) ?? null,
      bars,
      availability,
      recentAvailability: recentStart === windowStart ? availability : availabilityFrom(recentStart),
      policy,
    };
  });
}

/** Periods overlapping [from, to), grouped by component, with their incident's public id. */
export function loadPeriodsSince(db: Db, from: number, to: number, componentIds: number[]): Map<number, BarPeriod[]> {
  // Two range searches on (component_id, ended_at) — ended after `from`, and still open —
  // rather than one OR, which SQLite may answer by reading a component's whole history. The
  // unary plus keeps it off (component_id, started_at), whose "started before `to`" is all
  // history too. So a recent window stays cheap however long the history grows.
  const select = (endedAfterFrom: SQL) =>
    db
      .select({
        componentId: s.impactPeriods.componentId,
        level: s.impactPeriods.level,
        startedAt: s.impactPeriods.startedAt,
        endedAt: s.impactPeriods.endedAt,
        // A draft (an alert's level, automatic levels on) has no public page to link to.
        incidentId: sql<string | null>`case when ${s.incidents.draft} then null else ${s.incidents.publicId} end`,
      })
      .from(s.impactPeriods)
      .leftJoin(s.incidents, eq(s.incidents.id, s.impactPeriods.incidentId))
      .where(and(endedAfterFrom, lt(sql`+${s.impactPeriods.startedAt}`, to), inArray(s.impactPeriods.componentId, componentIds)))
      .all();
  const rows = [...select(gt(s.impactPeriods.endedAt, from)), ...select(isNull(s.impactPeriods.endedAt))].sort(
    (a, b) => a.startedAt - b.startedAt,
  );
  const byComponent = new Map<number, BarPeriod[]>();
  for (const row of rows) {
    const list = byComponent.get(row.componentId) ?? [];
    list.push({ level: row.level, startedAt: row.startedAt, endedAt: row.endedAt, incidentId: row.incidentId });
    byComponent.set(row.componentId, list);
  }
  return byComponent;
}

/** Open periods on drafts (levels set by alerts), earliest start per component. */
function loadMonitoringLevels(db: Db, componentIds: number[]): Map<number, number> {
  const rows = db
    .select({ componentId: s.impactPeriods.componentId, since: min(s.impactPeriods.startedAt) })
    .from(s.impactPeriods)
    .innerJoin(s.incidents, eq(s.incidents.id, s.impactPeriods.incidentId))
    .where(and(isNull(s.impactPeriods.endedAt), eq(s.incidents.draft, true), inArray(s.impactPeriods.componentId, componentIds)))
    .groupBy(s.impactPeriods.componentId)
    .all();
  return new Map(rows.map((r) => [r.componentId, r.since!]));
}

export interface EvaluatedWindow {
  id: string;
  title: string;
  status: MaintenanceStatus;
  scheduledStart: number;
  scheduledEnd: number;
  evaluation: MaintenanceEvaluation;
}

/**
 * Every maintenance window per component, judged under that component's policy. Windows are
 * evaluated from a year before `from` so the per-calendar-year count is right.
 */
export function loadMaintenanceEvaluations(
  db: Db,
  site: Site,
  policies: Map<number, SlaPolicy>,
  from: number,
  to: number,
  components: { id: number; slaPolicyId: number | null }[],
): Map<number, EvaluatedWindow[]> {
  const rows = db
    .select({
      componentId: s.maintenanceComponents.componentId,
      id: s.maintenances.publicId,
      title: s.maintenances.title,
      status: s.maintenances.status,
      scheduledStart: s.maintenances.scheduledStart,
      scheduledEnd: s.maintenances.scheduledEnd,
      announcedAt: s.maintenances.announcedAt,
    })
    .from(s.maintenances)
    .innerJoin(s.maintenanceComponents, eq(s.maintenanceComponents.maintenanceId, s.maintenances.id))
    .where(and(gte(s.maintenances.scheduledStart, from - YEAR_MS), lt(s.maintenances.scheduledStart, to)))
    .all();
  const result = new Map<number, EvaluatedWindow[]>();
  for (const component of components) {
    const windows = rows.filter((r) => r.componentId === component.id);
    if (windows.length === 0) continue;
    const policy = policyFor(policies, site, component.slaPolicyId);
    const evaluations = evaluateMaintenanceWindows(windows, maintenanceRulesOf(policy), site.timeZone);
    result.set(
      component.id,
      windows.map(({ componentId: _, announcedAt: __, ...w }) => ({ ...w, evaluation: evaluations.get(w.id)! })),
    );
  }
  return result;
}

/** Excused maintenance intervals per component (see loadMaintenanceEvaluations). */
export function loadExcusedIntervals(
  db: Db,
  site: Site,
  policies: Map<number, SlaPolicy>,
  from: number,
  to: number,
  components: { id: number; slaPolicyId: number | null }[],
): Map<number, Interval[]> {
  const result = new Map<number, Interval[]>();
  for (const [componentId, windows] of loadMaintenanceEvaluations(db, site, policies, from, to, components)) {
    result.set(componentId, windows.flatMap((w) => (w.evaluation.excusedInterval ? [w.evaluation.excusedInterval] : [])));
  }
  return result;
}
