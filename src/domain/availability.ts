// Availability = 1 − weighted downtime ÷ counted time, with a sweep over period boundaries.
import type { ImpactLevel, PeriodLike } from './status.ts';

export type Weights = Record<ImpactLevel, number>;

/** Unexcused maintenance is downtime for customers, so it weighs as much as a major outage. */
export const DEFAULT_WEIGHTS: Weights = {
  major_outage: 1,
  partial_outage: 0.3,
  degraded_performance: 0,
  under_maintenance: 1,
};

/** Half-open [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

export interface AvailabilityInput {
  window: Interval;
  periods: readonly PeriodLike[];
  weights: Weights;
  existsFrom: number | null;
  excused: readonly Interval[];
  now: number;
}

export interface AvailabilityResult {
  countedMs: number;
  /** Weighted: an hour of partial outage at weight 0.3 is 0.3 h. */
  downtimeMs: number;
  /** null when nothing was counted: no data is not 100%. */
  availability: number | null;
}

interface WeightedSegment extends Interval {
  weight: number;
}

const LEVELS: readonly ImpactLevel[] = ['major_outage', 'partial_outage', 'degraded_performance', 'under_maintenance'];

/** Sorted, disjoint, non-empty; touching intervals are joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ start: i.start, end: i.end });
  }
  return merged;
}

/** The window, after the component existed and before now, minus excused maintenance. */
function countedIntervals(input: AvailabilityInput): Interval[] {
  const end = Math.min(input.window.end, input.now);
  let cursor = Math.max(input.window.start, input.existsFrom ?? -Infinity);
  const counted: Interval[] = [];
  // Most windows (a day of the bars) have no maintenance to excuse: nothing to merge.
  const holes = input.excused.length === 0 ? input.excused : mergeIntervals(input.excused);
  for (const hole of holes) {
    if (hole.start >= end) break;
    if (hole.start > cursor) counted.push({ start: cursor, end: hole.start });
    cursor = Math.max(cursor, hole.end);
  }
  if (cursor < end) counted.push({ start: cursor, end });
  return counted;
}

/** The maximum weight at each instant as sorted disjoint segments; overlaps never add up. */
function weightedSegments(periods: readonly PeriodLike[], weights: Weights, now: number): WeightedSegment[] {
  const events: { at: number; level: ImpactLevel; delta: number }[] = [];
  for (const p of periods) {
    const end = p.endedAt ?? now;
    if (end > p.startedAt && weights[p.level] > 0) {
      events.push({ at: p.startedAt, level: p.level, delta: 1 }, { at: end, level: p.level, delta: -1 });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const open: Record<ImpactLevel, number> = {
    major_outage: 0,
    partial_outage: 0,
    degraded_performance: 0,
    under_maintenance: 0,
  };
  const segments: WeightedSegment[] = [];
  for (let i = 0; i < events.length; ) {
    const at = events[i]!.at;
    for (; i < events.length && events[i]!.at === at; i++) open[events[i]!.level] += events[i]!.delta;
    // The heaviest open level (no temporary arrays: this runs for every day of every bar).
    let weight = 0;
    for (const l of LEVELS) if (open[l] > 0 && weights[l] > weight) weight = weights[l];
    const next = events[i];
    if (weight > 0 && next) segments.push({ start: at, end: next.at, weight });
  }
  return segments;
}

function weightedOverlap(segments: readonly WeightedSegment[], counted: readonly Interval[]): number {
  let total = 0;
  let first = 0;
  for (const s of segments) {
    while (first < counted.length && counted[first]!.end <= s.start) first++;
    for (let k = first; k < counted.length && counted[k]!.start < s.end; k++) {
      const c = counted[k]!;
      total += s.weight * (Math.min(s.end, c.end) - Math.max(s.start, c.start));
    }
  }
  return total;
}

export function computeAvailability(input: AvailabilityInput): AvailabilityResult {
  const counted = countedIntervals(input);
  const countedMs = counted.reduce((sum, c) => sum + (c.end - c.start), 0);
  const downtimeMs = weightedOverlap(weightedSegments(input.periods, input.weights, input.now), counted);
  return { countedMs, downtimeMs, availability: countedMs === 0 ? null : 1 - downtimeMs / countedMs };
}
