// Calendar months as values: the `?month=YYYY-MM` parameter, stepping, and the local days of a
// month in the site time zone (DST-correct, via zonedMidnight).
import { addDays, monthWindow, zonedMidnight, type DayWindow } from './time-zone.ts';

export interface CalendarMonth {
  year: number;
  /** 1 = January … 12 = December. */
  month: number;
}

const MONTH_KEY = /^(\d{4})-(\d{2})$/;

/** "2026-10" → { year: 2026, month: 10 }; anything else (including month 13) → null. */
export function parseMonthKey(raw: string): CalendarMonth | null {
  const match = MONTH_KEY.exec(raw.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 1970 || month < 1 || month > 12) return null;
  return { year, month };
}

export function formatMonthKey(m: CalendarMonth): string {
  return `${String(m.year).padStart(4, '0')}-${String(m.month).padStart(2, '0')}`;
}

export function shiftMonth(m: CalendarMonth, by: number): CalendarMonth {
  const index = m.year * 12 + (m.month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** Negative when a is earlier than b, 0 when the same month. */
export function compareMonths(a: CalendarMonth, b: CalendarMonth): number {
  return a.year * 12 + a.month - (b.year * 12 + b.month);
}

/** The month as a half-open instant range [start, end) in the time zone. */
export function monthInterval(m: CalendarMonth, tz: string): { start: number; end: number } {
  return monthWindow(m.year, m.month, tz);
}

/** Every local day of the month, contiguous: the first starts at the month's start, the last ends at its end. */
export function daysOfMonth(m: CalendarMonth, tz: string): DayWindow[] {
  const days: DayWindow[] = [];
  const first = `${formatMonthKey(m)}-01`;
  const next = `${formatMonthKey(shiftMonth(m, 1))}-01`;
  let date = first;
  let start = zonedMidnight(date, tz);
  while (date !== next) {
    const following = addDays(date, 1);
    const end = zonedMidnight(following, tz);
    days.push({ date, start, end });
    date = following;
    start = end;
  }
  return days;
}
