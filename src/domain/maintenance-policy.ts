// Is a maintenance window excused from availability? Only when it was announced in time and
// kept within the policy's limits; anything else counts as downtime.
import type { Interval } from './availability.ts';

export interface MaintenanceRules {
  noticeDays: number;
  maxHours: number | null;
  maxPerYear: number | null;
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which windows may start; null = any day. */
  allowedDays: readonly number[] | null;
}

export interface MaintenanceWindowLike {
  id: string;
  status: 'scheduled' | 'in_progress' | 'verifying' | 'completed' | 'cancelled';
  scheduledStart: number;
  scheduledEnd: number;
  announcedAt: number;
}

export interface MaintenanceEvaluation {
  excused: boolean;
  /** A cancelled window never ran: it counts for nothing, neither downtime nor excused time. */
  cancelled: boolean;
  /** Plain-words reasons the window breaks the policy; empty when excused. */
  problems: string[];
  /** The announced window, excluded from counted time when excused. */
  excusedInterval: Interval | null;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// Building a DateTimeFormat costs far more than using one; every component's windows use the site's zone.
const yearWeekdayFormats = new Map<string, Intl.DateTimeFormat>();

function zonedYearAndWeekday(instant: number, timeZone: string): { year: number; weekday: number } {
  let format = yearWeekdayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', weekday: 'short' });
    yearWeekdayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const short = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(short) + 1;
  return { year, weekday };
}

/**
 * Evaluates every window of one component under one policy. Windows are counted per calendar
 * year (site time zone) in order of scheduled start; cancelled windows neither count nor excuse.
 */
export function evaluateMaintenanceWindows(
  windows: readonly MaintenanceWindowLike[],
  rules: MaintenanceRules,
  timeZone: string,
): Map<string, MaintenanceEvaluation> {
  const result = new Map<string, MaintenanceEvaluation>();
  const perYear = new Map<number, number>();
  const ordered = [...windows].sort((a, b) => a.scheduledStart - b.scheduledStart);
  for (const window of ordered) {
    if (window.status === 'cancelled') {
      result.set(window.id, { excused: false, cancelled: true, problems: [], excusedInterval: null });
      continue;
    }
    const { year, weekday } = zonedYearAndWeekday(window.scheduledStart, timeZone);
    const countThisYear = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, countThisYear);
    const problems = maintenanceProblems(window, rules, countThisYear, weekday);
    const excused = problems.length === 0;
    result.set(window.id, {
      excused,
      cancelled: false,
      problems,
      excusedInterval: excused ? { start: window.scheduledStart, end: window.scheduledEnd } : null,
    });
  }
  return result;
}

function maintenanceProblems(
  window: MaintenanceWindowLike,
  rules: MaintenanceRules,
  countThisYear: number,
  weekday: number,
): string[] {
  const problems: string[] = [];
  const noticeMs = window.scheduledStart - window.announcedAt;
  if (noticeMs < rules.noticeDays * DAY_MS) {
    const days = Math.max(0, Math.floor(noticeMs / DAY_MS));
    problems.push(`Announced ${days} day${days === 1 ? '' : 's'} ahead; the policy requires ${rules.noticeDays} day${rules.noticeDays === 1 ? '' : 's'}.`);
  }
  const hours = (window.scheduledEnd - window.scheduledStart) / HOUR_MS;
  if (rules.maxHours !== null && hours > rules.maxHours) {
    problems.push(`Lasts ${Math.round(hours * 10) / 10} h; the policy allows at most ${rules.maxHours} h.`);
  }
  if (rules.maxPerYear !== null && countThisYear > rules.maxPerYear) {
    problems.push(`Window ${countThisYear} this calendar year; the policy allows ${rules.maxPerYear}.`);
  }
  if (rules.allowedDays !== null && !rules.allowedDays.includes(weekday)) {
    problems.push(`Starts on a ${WEEKDAYS[weekday - 1]}, which the policy does not allow.`);
  }
  return problems;
}
