// Monthly SLA reports for components over calendar months, from one range query for periods
// and one for maintenance windows covering all the months asked for.
import type { Db } from '../../db/client.ts';
import { DEFAULT_WEIGHTS, type Interval } from '../domain/availability.ts';
import { compareMonths, formatMonthKey, monthInterval, shiftMonth, type CalendarMonth } from '../domain/calendar-month.ts';
import { computeMonthlyReport, type MonthlyReport } from '../domain/monthly-report.ts';
import type { PeriodLike } from '../domain/status.ts';
import { formatInstant, monthKey, zonedMidnight } from '../domain/time-zone.ts';
import { loadExcusedIntervals, loadPeriodsSince } from './component-health.ts';
import { loadSlaPolicies, policyFor, type Site, type SlaPolicy } from './site.ts';

export interface ReportedComponent {
  id: number;
  startDate: string | null;
  slaPolicyId: number | null;
}

export interface MonthReport {
  month: CalendarMonth;
  /** "2026-10", the uptime page's `month` parameter. */
  key: string;
  /** "October 2026". */
  label: string;
  report: MonthlyReport;
}

export const HISTORY_MONTHS = 12;

/** Reports per component, in the order of `months`; pure composition of loaded data. */
export function reportMonths(input: {
  site: Site;
  policies: Map<number, SlaPolicy>;
  months: readonly CalendarMonth[];
  components: readonly ReportedComponent[];
  periods: Map<number, PeriodLike[]>;
  excused: Map<number, Interval[]>;
  now: number;
}): Map<number, MonthReport[]> {
  const tz = input.site.timeZone;
  const result = new Map<number, MonthReport[]>();
  for (const component of input.components) {
    const policy = policyFor(input.policies, input.site, component.slaPolicyId);
    const existsFrom = component.startDate ? zonedMidnight(component.startDate, tz) : null;
    const reports = input.months.map((month) => {
      const window = monthInterval(month, tz);
      const report = computeMonthlyReport({
        month: window,
        periods: input.periods.get(component.id) ?? [],
        weights: policy?.weights ?? DEFAULT_WEIGHTS,
        existsFrom,
        excused: input.excused.get(component.id) ?? [],
        now: input.now,
        target: policy?.availabilityTarget ?? null,
        creditTiers: policy?.creditTiers ?? [],
      });
      return { month, key: formatMonthKey(month), label: formatInstant(window.start, tz, 'month'), report };
    });
    result.set(component.id, reports);
  }
  return result;
}

/** The span covering all months, for the range queries. */
export function spanOf(months: readonly CalendarMonth[], tz: string): Interval {
  const sorted = [...months].sort(compareMonths);
  return { start: monthInterval(sorted[0]!, tz).start, end: monthInterval(sorted.at(-1)!, tz).end };
}

/**
 * One component's last `count` months, newest first, from the month it started existing
 * (months before it have no data, so they are left out).
 */
export function loadMonthlyHistory(db: Db, site: Site, component: ReportedComponent, now: number, count = HISTORY_MONTHS): MonthReport[] {
  const current = monthKey(now, site.timeZone);
  const first = component.startDate ? parseStartMonth(component.startDate) : null;
  const months = Array.from({ length: count }, (_, i) => shiftMonth(current, -i)).filter(
    (m) => first === null || compareMonths(m, first) >= 0,
  );
  if (months.length === 0) return [];
  const span = spanOf(months, site.timeZone);
  const policies = loadSlaPolicies(db);
  const reports = reportMonths({
    site,
    policies,
    months,
    components: [component],
    periods: loadPeriodsSince(db, span.start, span.end, [component.id]),
    excused: loadExcusedIntervals(db, site, policies, span.start, span.end, [component]),
    now,
  });
  return reports.get(component.id) ?? [];
}

function parseStartMonth(startDate: string): CalendarMonth {
  const [year = 1970, month = 1] = startDate.split('-').map(Number);
  return { year, month };
}
