import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeAvailability,
  DEFAULT_WEIGHTS,
  mergeIntervals,
  type AvailabilityInput,
  type Interval,
  type Weights,
} from '../../../src/domain/availability.ts';
import type { ImpactLevel, PeriodLike } from '../../../src/domain/status.ts';

const H = 3_600_000;
const p = (level: ImpactLevel, from: number, to: number | null): PeriodLike => ({
  level,
  startedAt: from * H,
  endedAt: to === null ? null : to * H,
});
const iv = (from: number, to: number): Interval => ({ start: from * H, end: to * H });

/** A 10-hour window [0 h, 10 h), long past unless a case says otherwise. */
function input(overrides: Partial<AvailabilityInput>): AvailabilityInput {
  return { window: iv(0, 10), periods: [], weights: DEFAULT_WEIGHTS, existsFrom: null, excused: [], now: 20 * H, ...overrides };
}

describe('mergeIntervals', () => {
  it.each<[string, Interval[], Interval[]]>([
    ['nothing', [], []],
    ['drops empty and inverted intervals', [iv(1, 1), iv(3, 2)], []],
    ['sorts', [iv(5, 6), iv(1, 2)], [iv(1, 2), iv(5, 6)]],
    ['joins overlapping and touching', [iv(1, 3), iv(2, 4), iv(4, 5)], [iv(1, 5)]],
    ['swallows nested', [iv(1, 10), iv(2, 3), iv(4, 5)], [iv(1, 10)]],
  ])('%s', (_name, intervals, expected) => {
    expect(mergeIntervals(intervals)).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const a = iv(1, 3);
    mergeIntervals([a, iv(2, 4)]);
    expect(a).toEqual(iv(1, 3));
  });
});

describe('computeAvailability', () => {
  // Expected values worked out by hand, in hours.
  it.each<[string, Partial<AvailabilityInput>, number, number, number | null]>([
    ['no periods', {}, 10, 0, 1],
    ['1 h major outage', { periods: [p('major_outage', 2, 3)] }, 10, 1, 0.9],
    ['2 h partial outage weighs 0.3', { periods: [p('partial_outage', 2, 4)] }, 10, 0.6, 0.94],
    ['degraded weighs nothing by default', { periods: [p('degraded_performance', 0, 5)] }, 10, 0, 1],
    [
      'overlap takes the max weight, not the sum: major 1–3 h + partial 2–5 h = 2 + 0.6',
      { periods: [p('major_outage', 1, 3), p('partial_outage', 2, 5)] },
      10,
      2.6,
      0.74,
    ],
    [
      'two overlapping majors 1–4 h and 2–6 h count 5 h, not 7 h',
      { periods: [p('major_outage', 1, 4), p('major_outage', 2, 6)] },
      10,
      5,
      0.5,
    ],
    ['period straddling the window start is clipped', { periods: [p('major_outage', -2, 1)] }, 10, 1, 0.9],
    ['period straddling the window end is clipped', { periods: [p('major_outage', 9, 30)] }, 10, 1, 0.9],
    ['open period runs up to now; the future is not counted', { now: 5 * H, periods: [p('major_outage', 3, null)] }, 5, 2, 0.6],
    ['existsFrom mid-window: earlier time and downtime not counted', { existsFrom: 4 * H, periods: [p('major_outage', 2, 6)] }, 6, 2, 2 / 3],
    ['excused maintenance is not counted at all', { periods: [p('under_maintenance', 2, 4)], excused: [iv(2, 4)] }, 8, 0, 1],
    ['maintenance overrunning its excused window is downtime', { periods: [p('under_maintenance', 2, 5)], excused: [iv(2, 4)] }, 8, 1, 0.875],
    ['unexcused maintenance weighs as a major outage', { periods: [p('under_maintenance', 2, 4)] }, 10, 2, 0.8],
    [
      'an outage inside an excused window is not counted either',
      { periods: [p('major_outage', 3, 6)], excused: [iv(2, 4)] },
      8,
      2,
      0.75,
    ],
    ['excused intervals overlapping each other and the edges', { excused: [iv(-1, 1), iv(0.5, 2), iv(9, 12)] }, 7, 0, 1],
    ['window entirely in the future: no data', { window: iv(30, 40) }, 0, 0, null],
    ['component created after the window: no data', { existsFrom: 12 * H, periods: [p('major_outage', 0, 10)] }, 0, 0, null],
    ['window entirely excused: no data', { excused: [iv(0, 10)], periods: [p('major_outage', 0, 10)] }, 0, 0, null],
    [
      'custom weights',
      { weights: { ...DEFAULT_WEIGHTS, degraded_performance: 0.1 }, periods: [p('degraded_performance', 0, 5)] },
      10,
      0.5,
      0.95,
    ],
    ['period ending before it starts is ignored', { periods: [p('major_outage', 5, 4)] }, 10, 0, 1],
  ])('%s', (_name, overrides, countedH, downtimeH, availability) => {
    const r = computeAvailability(input(overrides));
    expect(r.countedMs).toBe(countedH * H);
    expect(r.downtimeMs).toBeCloseTo(downtimeH * H, 3);
    if (availability === null) expect(r.availability).toBeNull();
    else expect(r.availability).toBeCloseTo(availability, 12);
  });
});

describe('computeAvailability properties', () => {
  const LEVELS: ImpactLevel[] = ['major_outage', 'partial_outage', 'degraded_performance', 'under_maintenance'];
  // Small integer coordinates keep a brute-force oracle exact.
  const coord = fc.integer({ min: 0, max: 60 });
  const period = fc.record({
    level: fc.constantFrom(...LEVELS),
    startedAt: coord,
    endedAt: fc.option(coord, { nil: null }),
  });
  const interval = fc.tuple(coord, coord).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));
  const weights: fc.Arbitrary<Weights> = fc.record({
    major_outage: fc.double({ min: 0, max: 1, noNaN: true }),
    partial_outage: fc.double({ min: 0, max: 1, noNaN: true }),
    degraded_performance: fc.double({ min: 0, max: 1, noNaN: true }),
    under_maintenance: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  const inputs: fc.Arbitrary<AvailabilityInput> = fc.record({
    window: interval,
    periods: fc.array(period, { maxLength: 8 }),
    weights: fc.oneof(fc.constant(DEFAULT_WEIGHTS), weights),
    existsFrom: fc.option(coord, { nil: null }),
    excused: fc.array(interval, { maxLength: 3 }),
    now: coord,
  });

  it('availability is in [0, 1], and null exactly when nothing is counted', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const r = computeAvailability(i);
        if (r.countedMs === 0) expect(r.availability).toBeNull();
        else {
          expect(r.availability).toBeGreaterThanOrEqual(0);
          expect(r.availability).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('matches a brute-force instant-by-instant computation', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        let counted = 0;
        let downtime = 0;
        for (let t = i.window.start; t < i.window.end; t++) {
          const excused = i.excused.some((e) => e.start <= t && t < e.end);
          if (t >= i.now || (i.existsFrom !== null && t < i.existsFrom) || excused) continue;
          counted += 1;
          const covering = i.periods.filter((q) => q.startedAt <= t && t < (q.endedAt ?? i.now));
          downtime += Math.max(0, ...covering.map((q) => i.weights[q.level]));
        }
        const r = computeAvailability(i);
        expect(r.countedMs).toBe(counted);
        expect(r.downtimeMs).toBeCloseTo(downtime, 9);
      }),
    );
  });

  it('adding a period never raises availability', () => {
    fc.assert(
      fc.property(inputs, period, (i, extra) => {
        const before = computeAvailability(i).availability;
        const after = computeAvailability({ ...i, periods: [...i.periods, extra] }).availability;
        if (before === null) expect(after).toBeNull();
        else expect(after).toBeLessThanOrEqual(before + 1e-12);
      }),
    );
  });

  it('duplicating a period changes nothing (no double counting)', () => {
    fc.assert(
      fc.property(inputs, fc.nat(), (i, pick) => {
        fc.pre(i.periods.length > 0);
        const dup = i.periods[pick % i.periods.length]!;
        expect(computeAvailability({ ...i, periods: [...i.periods, dup] })).toEqual(computeAvailability(i));
      }),
    );
  });

  it('splitting the window in two and summing agrees with the whole', () => {
    fc.assert(
      fc.property(inputs, fc.double({ min: 0, max: 1, noNaN: true }), (i, fraction) => {
        const mid = i.window.start + Math.round((i.window.end - i.window.start) * fraction);
        const whole = computeAvailability(i);
        const left = computeAvailability({ ...i, window: { start: i.window.start, end: mid } });
        const right = computeAvailability({ ...i, window: { start: mid, end: i.window.end } });
        expect(left.countedMs + right.countedMs).toBe(whole.countedMs);
        expect(left.downtimeMs + right.downtimeMs).toBeCloseTo(whole.downtimeMs, 9);
      }),
    );
  });
});
