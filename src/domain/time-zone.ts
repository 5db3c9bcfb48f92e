// Calendar days and months in the site's time zone, via Intl so DST is always right.

const DAY_MS = 86_400_000;

// Building a DateTimeFormat is costly and pages format many instants in the same few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, tz: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${tz} ${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: tz, calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(key, f);
  }
  return f;
}

const FIELD_OPTIONS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

type LocalField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

function localFields(instant: number, tz: string): Record<LocalField, number> {
  const fields: Record<LocalField, number> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter('en-US', tz, FIELD_OPTIONS).formatToParts(instant)) {
    if (p.type in fields) fields[p.type as LocalField] = Number(p.value);
  }
  return fields;
}

/** Local wall-clock minus UTC at that instant, in ms (whole seconds). */
function offsetAt(instant: number, tz: string): number {
  const f = localFields(instant, tz);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function keyOfUtcDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function parseKey(dateKey: string): { year: number; month: number; day: number } {
  const [year = NaN, month = NaN, day = NaN] = dateKey.split('-').map(Number);
  return { year, month, day };
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function dayKey(instant: number, tz: string): string {
  const f = localFields(instant, tz);
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
}

export function addDays(dateKey: string, n: number): string {
  const { year, month, day } = parseKey(dateKey);
  return keyOfUtcDate(Date.UTC(year, month - 1, day + n));
}

// Every component's daily bars ask for the same days; a few years of days per zone is tiny.
const MIDNIGHT_CACHE_SIZE = 10_000;
const midnights = new Map<string, number>();

/**
 * The first instant of a local day. Try the offsets in force a day either side (zones change
 * at most once in that span): the earliest exact match wins (midnight can repeat when clocks
 * go back); with no match midnight was skipped, and the day begins at the later candidate.
 */
export function zonedMidnight(dateKey: string, tz: string): number {
  const cacheKey = `${tz} ${dateKey}`;
  const cached = midnights.get(cacheKey);
  if (cached !== undefined) return cached;
  const { year, month, day } = parseKey(dateKey);
  const wall = Date.UTC(year, month - 1, day);
  const candidates = [offsetAt(wall - DAY_MS, tz), offsetAt(wall + DAY_MS, tz)].map((o) => wall - o);
  const exact = candidates.filter((c) => c + offsetAt(c, tz) === wall);
  const midnight = exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
  if (midnights.size >= MIDNIGHT_CACHE_SIZE) midnights.clear();
  midnights.set(cacheKey, midnight);
  return midnight;
}

/** A local calendar day as a half-open instant range [start, end). */
export interface DayWindow {
  date: string;
  start: number;
  end: number;
}

// Every component's bars ask for the same window: keep the last few (a handful of zones and sizes).
const recentWindows = new Map<string, readonly DayWindow[]>();

/** The local day last asked about per zone: pages ask for the same `now` once per component. */
const knownToday = new Map<string, DayWindow>();

function todayOf(now: number, tz: string): string {
  const known = knownToday.get(tz);
  if (known && known.start <= now && now < known.end) return known.date;
  const date = dayKey(now, tz);
  if (knownToday.size >= 16) knownToday.clear();
  knownToday.set(tz, { date, start: zonedMidnight(date, tz), end: zonedMidnight(addDays(date, 1), tz) });
  return date;
}

export function lastDays(now: number, tz: string, count: number): DayWindow[] {
  const today = todayOf(now, tz);
  const key = `${tz} ${today} ${count}`;
  const known = recentWindows.get(key);
  if (known) return known.slice();
  const days = computeLastDays(today, tz, count);
  if (recentWindows.size >= 16) recentWindows.clear();
  recentWindows.set(key, days);
  return days.slice();
}

function computeLastDays(today: string, tz: string, count: number): DayWindow[] {
  const days: DayWindow[] = [];
  let date = addDays(today, 1 - count);
  let start = zonedMidnight(date, tz);
  for (let i = 0; i < count; i++) {
    const next = addDays(date, 1);
    const end = zonedMidnight(next, tz);
    days.push({ date, start, end });
    date = next;
    start = end;
  }
  return days;
}

export function monthKey(instant: number, tz: string): { year: number; month: number } {
  const f = localFields(instant, tz);
  return { year: f.year, month: f.month };
}

export function monthWindow(year: number, month: number, tz: string): { start: number; end: number } {
  const first = keyOfUtcDate(Date.UTC(year, month - 1, 1));
  const nextFirst = keyOfUtcDate(Date.UTC(year, month, 1));
  return { start: zonedMidnight(first, tz), end: zonedMidnight(nextFirst, tz) };
}

export type InstantStyle = 'datetime' | 'date' | 'day' | 'time' | 'month';

const STYLE_OPTIONS: Record<InstantStyle, Intl.DateTimeFormatOptions> = {
  datetime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  day: { day: 'numeric', month: 'short' },
  time: { hour: '2-digit', minute: '2-digit' },
  month: { month: 'long', year: 'numeric' },
};

/** Short zone name: British English knows CET/BST, American English knows EST/PDT. */
function zoneAbbreviation(instant: number, tz: string): string {
  const nameIn = (locale: string) =>
    formatter(locale, tz, { timeZoneName: 'short' })
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const british = nameIn('en-GB');
  return /^GMT[+-]/.test(british) ? nameIn('en-US') : british;
}

// A page formats the same instants many times (each day's start, once per component's bars).
const FORMATTED_CACHE_SIZE = 20_000;
const formatted = new Map<string, string>();

/**
 * English, 24-hour: "22 Nov 2026, 14:05 CET", "22 Nov 2026", "22 Nov", "14:05", "November 2026".
 * Assembled from American parts because British English abbreviates September as "Sept".
 */
export function formatInstant(instant: number, tz: string, style: InstantStyle): string {
  const key = `${style} ${tz} ${instant}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatInstantUncached(instant, tz, style);
    if (formatted.size >= FORMATTED_CACHE_SIZE) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

function formatInstantUncached(instant: number, tz: string, style: InstantStyle): string {
  const parts = formatter('en-US', tz, { ...STYLE_OPTIONS[style], hourCycle: 'h23' }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const date = () => `${get('day')} ${get('month')} ${get('year')}`;
  const time = () => `${get('hour')}:${get('minute')}`;
  switch (style) {
    case 'datetime':
      return `${date()}, ${time()} ${zoneAbbreviation(instant, tz)}`;
    case 'date':
      return date();
    case 'day':
      return `${get('day')} ${get('month')}`;
    case 'time':
      return time();
    case 'month':
      return `${get('month')} ${get('year')}`;
  }
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value ("2026-03-29T02:30") read as wall-clock time in `tz`. Like
 * Temporal's "compatible" choice: a repeated time (clocks go back) is its first occurrence, a
 * skipped one (clocks go forward) moves forward by the gap. Null when the value is no real time.
 */
export function parseZonedLocal(value: string, tz: string): number | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second = 0] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day || hour! > 23) {
    return null;
  }
  if (minute! > 59 || second > 59) return null;
  const before = offsetAt(wall - DAY_MS, tz);
  const after = offsetAt(wall + DAY_MS, tz);
  const exact = [wall - before, wall - after].filter((c) => c + offsetAt(c, tz) === wall);
  if (exact.length > 0) return Math.min(...exact);
  return wall - before;
}

/** An instant as a `datetime-local` value in `tz`, to the minute: "2026-03-29T03:30". */
export function formatZonedLocal(instant: number, tz: string): string {
  const f = localFields(instant, tz);
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}`;
}
