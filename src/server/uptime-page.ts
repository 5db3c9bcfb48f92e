// Everything /uptime needs for one calendar month: per component availability against its SLA,
// the month's maintenance and whether it was excused, response-time compliance, and the rules
// in force in plain words.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { compareMonths, formatMonthKey, monthInterval, parseMonthKey, shiftMonth, type CalendarMonth } from '../domain/calendar-month.ts';
import type { MonthlyReport } from '../domain/monthly-report.ts';
import { computeResponseCompliance, type ResponseCompliance, type ResponseIncident } from '../domain/response-compliance.ts';
import { describeResponseCreditTiers, describeResponseTargets } from '../domain/sla-wording.ts';
import type { ClassLabels } from '../domain/status.ts';
import { formatInstant, monthKey } from '../domain/time-zone.ts';
import { loadMaintenanceEvaluations, loadPeriodsSince } from './component-health.ts';
import { BadQuery } from './errors.ts';
import { HISTORY_MONTHS, reportMonths } from './monthly-history.ts';
import { loadResponseIncidents } from './response-times.ts';
import { loadSite, loadSlaPolicies, type Site, type SlaPolicy } from './site.ts';
import { describePolicies, listMonthMaintenance, type MonthMaintenance, type PolicyInForce } from './uptime-rules.ts';

export interface UptimeRow {
  slug: string;
  name: string;
  groupName: string | null;
  policyName: string | null;
  report: MonthlyReport;
}

export interface MonthLink {
  key: string;
  label: string;
}

export interface UptimePage {
  site: Site;
  now: number;
  month: MonthLink & CalendarMonth;
  /** The month has not ended yet. */
  inProgress: boolean;
  /** Older and newer months; null at the ends of the selectable range. */
  previous: MonthLink | null;
  next: MonthLink | null;
  /** Selectable months, newest first. */
  choices: MonthLink[];
  rows: UptimeRow[];
  policies: PolicyInForce[];
  maintenance: MonthMaintenance[];
  response: ResponseSection;
}

/** Response-time compliance for a month under one policy: its rules in words, the tally, the credit. */
export interface ResponseSection {
  policyName: string | null;
  rules: string;
  /** The response-time credit rule in plain words; null without a policy. */
  creditRule: string | null;
  classLabels: ClassLabels;
  compliance: ResponseCompliance;
}

/** How far back the month selector offers; older months stay reachable by URL. */
const MAX_CHOICES = 120;

/** The `month` query parameter: absent = the current month; anything else must be YYYY-MM. */
export function parseUptimeMonth(raw: string | null): CalendarMonth | null {
  if (raw === null || raw === '') return null;
  const month = parseMonthKey(raw);
  if (!month) throw new BadQuery({ month: `“${raw.slice(0, 40)}” is not a month. Use the form YYYY-MM, for example 2026-10.` });
  return month;
}

export function getUptimePage(db: Db, selection: CalendarMonth | null, now: number): UptimePage {
  const site = loadSite(db);
  const tz = site.timeZone;
  const current = monthKey(now, tz);
  const month = selection ?? current;
  const link = (m: CalendarMonth): MonthLink => ({ key: formatMonthKey(m), label: formatInstant(monthInterval(m, tz).start, tz, 'month') });
  if (compareMonths(month, current) > 0) {
    throw new BadQuery({ month: `${link(month).label} has not started yet; the latest month is ${link(current).label}.` });
  }
  const window = monthInterval(month, tz);
  const components = loadOrderedComponents(db);
  const policies = loadSlaPolicies(db);
  const evaluations = loadMaintenanceEvaluations(db, site, policies, window.start, window.end, components);
  const excused = new Map(
    [...evaluations].map(([id, windows]) => [id, windows.flatMap((w) => (w.evaluation.excusedInterval ? [w.evaluation.excusedInterval] : []))]),
  );
  const reports = reportMonths({
    site,
    policies,
    months: [month],
    components,
    periods: loadPeriodsSince(db, window.start, window.end, components.map((c) => c.id)),
    excused,
    now,
  });
  const earliest = earliestMonth(components, current);
  const choices: MonthLink[] = [];
  for (let m = current; compareMonths(m, earliest) >= 0 && choices.length < MAX_CHOICES; m = shiftMonth(m, -1)) choices.push(link(m));
  const policyOf = (c: { slaPolicyId: number | null }) => policies.get(c.slaPolicyId ?? -1) ?? policies.get(site.defaultSlaPolicyId ?? -1) ?? null;
  return {
    site,
    now,
    month: { ...month, ...link(month) },
    inProgress: now < window.end,
    previous: compareMonths(month, earliest) > 0 ? link(shiftMonth(month, -1)) : null,
    next: compareMonths(month, current) < 0 ? link(shiftMonth(month, 1)) : null,
    choices,
    rows: components.map((c) => ({
      slug: c.slug,
      name: c.name,
      groupName: c.groupName,
      policyName: policyOf(c)?.name ?? null,
      report: reports.get(c.id)![0]!.report,
    })),
    policies: describePolicies(components.map((c) => ({ name: c.name, policy: policyOf(c) }))),
    maintenance: listMonthMaintenance(evaluations, components, window),
    response: responseFor(db, policies.get(site.defaultSlaPolicyId ?? -1) ?? null, window, now),
  };
}

/**
 * An incident may touch components under different policies, so one policy must decide its
 * response target: the site default policy, whose targets are the page-wide promise.
 */
function responseFor(db: Db, policy: SlaPolicy | null, window: { start: number; end: number }, now: number): ResponseSection {
  return responseSection(policy, loadResponseIncidents(db, window), now);
}

/** The response section for some incidents under one policy (the site's, or a component's own). */
export function responseSection(policy: SlaPolicy | null, incidents: ResponseIncident[], now: number): ResponseSection {
  const targetMinutes = policy?.responseTargets ?? {};
  const goal = policy?.responseComplianceTarget ?? 1;
  const classLabels = policy?.classLabels ?? {};
  const creditTiers = policy?.responseCreditTiers ?? [];
  return {
    policyName: policy?.name ?? null,
    rules: describeResponseTargets(targetMinutes, goal, classLabels),
    creditRule: policy === null ? null : describeResponseCreditTiers(creditTiers),
    classLabels,
    compliance: computeResponseCompliance({ incidents, targetMinutes, goal, creditTiers, now }),
  };
}

interface OrderedComponent {
  id: number;
  slug: string;
  name: string;
  groupName: string | null;
  startDate: string | null;
  slaPolicyId: number | null;
}

/** As on the home page: groups and ungrouped components by position, members by position. */
function loadOrderedComponents(db: Db): OrderedComponent[] {
  const rows = db
    .select({
      id: s.components.id,
      slug: s.components.slug,
      name: s.components.name,
      startDate: s.components.startDate,
      slaPolicyId: s.components.slaPolicyId,
      position: s.components.position,
      groupName: s.componentGroups.name,
      groupPosition: s.componentGroups.position,
    })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .orderBy(asc(s.components.position), asc(s.components.id))
    .all();
  const key = (r: (typeof rows)[number]) => [r.groupPosition ?? r.position, r.groupPosition === null ? 1 : 0, r.position, r.id];
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka.map((v, i) => v - kb[i]!).find((d) => d !== 0) ?? 0;
  });
  return rows.map(({ position: _p, groupPosition: _g, ...r }) => r);
}

/** The month the oldest component started; a year back when no component has a start date. */
function earliestMonth(components: OrderedComponent[], current: CalendarMonth): CalendarMonth {
  const starts = components.flatMap((c) => (c.startDate ? [parseMonthKey(c.startDate.slice(0, 7))] : [])).filter((m) => m !== null);
  if (starts.length === 0) return shiftMonth(current, -(HISTORY_MONTHS - 1));
  return starts.reduce((min, m) => (compareMonths(m, min) < 0 ? m : min), current);
}
