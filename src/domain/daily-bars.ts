// One bar per local day for the uptime strip: worst level, availability, incidents that day.
import { computeAvailability, type Interval, type Weights } from './availability.ts';
import { worstStatus, type ComponentStatus, type PeriodLike } from './status.ts';
import { lastDays, type DayWindow } from './time-zone.ts';

/**
 * Phones show only the most recent days, so that each day's bar is wide enough to tap (24 px at
 * 390 px); the figure beside them is the availability over these days.
 */
export const NARROW_SCREEN_DAYS = 14;

export interface BarPeriod extends PeriodLike {
  /** Public id of the owning incident; null for maintenance. */
  incidentId: string | null;
}

export interface DayBar {
  date: string;
  start: number;
  end: number;
  /** null = no data: the day lies entirely before the component existed or in the future. */
  worst: ComponentStatus | null;
  availability: number | null;
  /** Distinct, in order of first appearance. */
  incidentIds: readonly string[];
}

export interface DailyBarsInput {
  now: number;
  timeZone: string;
  days: number;
  periods: readonly BarPeriod[];
  weights: Weights;
  existsFrom: number | null;
  excused: readonly Interval[];
}

/** The status of a day with no period at all. */
const QUIET = worstStatus([]);

const NO_INCIDENTS: readonly string[] = Object.freeze([]);

// A day with no data, and a quiet day, read the same for every component: one frozen bar per day
// window (lastDays hands out the same windows until the day changes), shared by all components and
// renders. Most of the home page's 4,500 bars are one of these, so a render allocates none of them.
const noDataBars = new WeakMap<DayWindow, DayBar>();
const quietBars = new WeakMap<DayWindow, DayBar>();

function sharedBar(bars: WeakMap<DayWindow, DayBar>, day: DayWindow, worst: ComponentStatus | null, availability: number | null): DayBar {
  let bar = bars.get(day);
  if (!bar) {
    bar = Object.freeze({ date: day.date, start: day.start, end: day.end, worst, availability, incidentIds: NO_INCIDENTS });
    bars.set(day, bar);
  }
  return bar;
}

// Plain loops rather than some() with a closure: these run for every day of every component.
function hasEndedBy(periods: readonly BarPeriod[], at: number, now: number): boolean {
  for (const p of periods) if ((p.endedAt ?? now) <= at) return true;
  return false;
}

function overlaps(intervals: readonly Interval[], from: number, to: number): boolean {
  for (const i of intervals) if (i.start < to && i.end > from) return true;
  return false;
}

/**
 * Days are walked oldest first while a pointer adds periods that have started and drops
 * those that have ended, so each day only looks at the periods active it. The home page runs this
 * for every day of every component (4,500 days with 50 components) on each render, so the loop
 * builds nothing on quiet days.
 */
export function computeDailyBars(input: DailyBarsInput): DayBar[] {
  const { now, existsFrom, excused } = input;
  const endOf = (p: BarPeriod) => p.endedAt ?? now;
  // Empty periods (including open ones that start in the future) never show.
  const sorted = input.periods.filter((p) => endOf(p) > p.startedAt).sort((a, b) => a.startedAt - b.startedAt);
  let active: BarPeriod[] = [];
  let next = 0;
  const bars: DayBar[] = [];

  for (const day of lastDays(now, input.timeZone, input.days)) {
    const { start, end } = day;
    // The part of the day that has happened while the component existed.
    const from = Math.max(start, existsFrom ?? -Infinity);
    const to = Math.min(end, now);
    if (from >= to) {
      bars.push(sharedBar(noDataBars, day, null, null));
      continue;
    }

    while (next < sorted.length && sorted[next]!.startedAt < to) active.push(sorted[next++]!);
    if (active.length > 0 && hasEndedBy(active, from, now)) active = active.filter((p) => endOf(p) > from);
    // Most days have no period and no maintenance: nothing was lost of a counted, non-empty day.
    if (active.length === 0 && !overlaps(excused, from, to)) {
      bars.push(sharedBar(quietBars, day, QUIET, 1));
      continue;
    }

    const window = { start, end };
    const { availability } = computeAvailability({ window, periods: active, weights: input.weights, existsFrom, excused, now });
    const incidentIds: string[] = [];
    for (const p of active) if (p.incidentId !== null && !incidentIds.includes(p.incidentId)) incidentIds.push(p.incidentId);
    bars.push({ date: day.date, start, end, worst: worstStatus(active.map((p) => p.level)), availability, incidentIds });
  }
  return bars;
}

/** Consecutive days that read the same, drawn as one stretch of bars with one label. */
export interface BarRun {
  first: DayBar;
  last: DayBar;
  days: number;
  /** Within the most recent `recentDays` (the only ones a phone shows). */
  recent: boolean;
}

/**
 * Merges runs of quiet days — same status, same availability, no incident — so a page with 50
 * components does not carry 4,500 list items: a calm quarter is one item, while every day with
 * an incident or lost availability keeps its own item, label and link. Runs never cross the
 * boundary of the recent window, so narrow screens can drop the older items whole.
 */
export function barRuns(bars: readonly DayBar[], recentDays: number): BarRun[] {
  const runs: BarRun[] = [];
  const recentFrom = bars.length - recentDays;
  bars.forEach((bar, index) => {
    const recent = index >= recentFrom;
    const previous = runs.at(-1);
    const quiet = bar.incidentIds.length === 0;
    if (
      previous &&
      quiet &&
      previous.last.incidentIds.length === 0 &&
      previous.recent === recent &&
      previous.last.worst === bar.worst &&
      previous.last.availability === bar.availability
    ) {
      previous.last = bar;
      previous.days++;
    } else {
      runs.push({ first: bar, last: bar, days: 1, recent });
    }
  });
  return runs;
}
