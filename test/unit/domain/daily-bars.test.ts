import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAvailability, DEFAULT_WEIGHTS, type Interval } from '../../../src/domain/availability.ts';
import { barRuns, computeDailyBars, type BarPeriod, type DayBar } from '../../../src/domain/daily-bars.ts';
import { worstStatus, type ImpactLevel } from '../../../src/domain/status.ts';
import { lastDays } from '../../../src/domain/time-zone.ts';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);
const TZ = 'Europe/Berlin';
// 13:00 local on Sunday 22 Nov 2026; local days start at 23:00 UTC the evening before.
const NOW = utc('2026-11-22T12:00:00Z');

const bar = (level: ImpactLevel, from: string, to: string | null, incidentId: string | null): BarPeriod => ({
  level,
  startedAt: utc(from),
  endedAt: to === null ? null : utc(to),
  incidentId,
});

function bars(periods: BarPeriod[], extra: { existsFrom?: number | null; excused?: Interval[]; now?: number; days?: number } = {}) {
  return computeDailyBars({
    now: extra.now ?? NOW,
    timeZone: TZ,
    days: extra.days ?? 3,
    periods,
    weights: DEFAULT_WEIGHTS,
    existsFrom: extra.existsFrom ?? null,
    excused: extra.excused ?? [],
  });
}

const day = (date: string, start: string, end: string, rest: Omit<DayBar, 'date' | 'start' | 'end'>): DayBar => ({
  date,
  start: utc(start),
  end: utc(end),
  ...rest,
});

describe('computeDailyBars', () => {
  it('splits a period spanning local midnight across both days', () => {
    // 23:00 on the 20th to 02:00 on the 21st, local: 1 h on the 20th, 2 h on the 21st.
    const result = bars([bar('major_outage', '2026-11-20T22:00:00Z', '2026-11-21T01:00:00Z', 'inc1')]);
    expect(result).toEqual([
      day('2026-11-20', '2026-11-19T23:00:00Z', '2026-11-20T23:00:00Z', {
        worst: 'major_outage',
        availability: 23 / 24,
        incidentIds: ['inc1'],
      }),
      day('2026-11-21', '2026-11-20T23:00:00Z', '2026-11-21T23:00:00Z', {
        worst: 'major_outage',
        availability: 22 / 24,
        incidentIds: ['inc1'],
      }),
      day('2026-11-22', '2026-11-21T23:00:00Z', '2026-11-22T23:00:00Z', {
        worst: 'operational',
        availability: 1,
        incidentIds: [],
      }),
    ]);
  });

  it('has no data before the component existed, and counts only the rest of that day', () => {
    // Created at 12:00 local on the 21st: 12 h counted that day, 2 h partial outage = 0.6 h down.
    const result = bars([bar('partial_outage', '2026-11-21T17:00:00Z', '2026-11-21T19:00:00Z', 'inc2')], {
      existsFrom: utc('2026-11-21T11:00:00Z'),
    });
    expect(result.map((b) => [b.date, b.worst, b.availability, b.incidentIds])).toEqual([
      ['2026-11-20', null, null, []],
      ['2026-11-21', 'partial_outage', 1 - 0.6 / 12, ['inc2']],
      ['2026-11-22', 'operational', 1, []],
    ]);
  });

  it('counts today up to now, keeps first-appearance order and shows excused maintenance', () => {
    const result = bars(
      [
        bar('partial_outage', '2026-11-22T08:00:00Z', '2026-11-22T09:00:00Z', 'a'),
        bar('degraded_performance', '2026-11-22T10:00:00Z', '2026-11-22T11:00:00Z', 'b'),
        bar('degraded_performance', '2026-11-22T06:00:00Z', null, 'b'),
        bar('under_maintenance', '2026-11-22T02:00:00Z', '2026-11-22T03:00:00Z', null),
      ],
      { excused: [{ start: utc('2026-11-22T02:00:00Z'), end: utc('2026-11-22T03:00:00Z') }], days: 1 },
    );
    // Counted: 23:00Z → 12:00Z is 13 h, minus 1 h excused = 12 h; 1 h partial = 0.3 h down.
    expect(result).toEqual([
      day('2026-11-22', '2026-11-21T23:00:00Z', '2026-11-22T23:00:00Z', {
        worst: 'partial_outage',
        availability: 1 - 0.3 / 12,
        incidentIds: ['b', 'a'],
      }),
    ]);
  });

  it('ignores periods that start after now', () => {
    const result = bars(
      [
        bar('under_maintenance', '2026-11-22T15:00:00Z', '2026-11-22T16:00:00Z', null),
        bar('major_outage', '2026-11-22T13:00:00Z', null, 'later'),
      ],
      { days: 1 },
    );
    expect(result[0]).toMatchObject({ worst: 'operational', availability: 1, incidentIds: [] });
  });

  it('has no data for a component created later today', () => {
    const result = bars([], { existsFrom: utc('2026-11-22T15:00:00Z'), days: 2 });
    expect(result.map((b) => [b.date, b.worst, b.availability])).toEqual([
      ['2026-11-21', null, null],
      ['2026-11-22', null, null],
    ]);
  });

  it('weighs the 25 h DST day in Berlin by its true length', () => {
    const result = bars([bar('major_outage', '2026-10-25T10:00:00Z', '2026-10-25T11:00:00Z', 'dst')], {
      now: utc('2026-10-26T12:00:00Z'),
      days: 2,
    });
    expect(result.map((b) => [b.date, b.end - b.start, b.availability])).toEqual([
      ['2026-10-25', 25 * H, 24 / 25],
      ['2026-10-26', 24 * H, 1],
    ]);
  });

  it('agrees with computing every day from scratch (property)', () => {
    const base = utc('2026-11-12T00:00:00Z');
    const instant = fc.integer({ min: base, max: base + 12 * 24 * H });
    const period = fc.record({
      level: fc.constantFrom<ImpactLevel>('major_outage', 'partial_outage', 'degraded_performance', 'under_maintenance'),
      startedAt: instant,
      endedAt: fc.option(instant, { nil: null }),
      incidentId: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(period, { maxLength: 10 }), fc.option(instant, { nil: null }), (periods, existsFrom) => {
        const result = bars(periods, { existsFrom, days: 10 });
        const expected = lastDays(NOW, TZ, 10).map((d) => {
          const from = Math.max(d.start, existsFrom ?? -Infinity);
          const to = Math.min(d.end, NOW);
          if (from >= to) return { ...d, worst: null, availability: null, incidentIds: [] };
          const overlapping = periods
            .filter((q) => q.startedAt < to && (q.endedAt ?? NOW) > from && (q.endedAt ?? NOW) > q.startedAt)
            .sort((x, y) => x.startedAt - y.startedAt);
          const { availability } = computeAvailability({ window: d, periods, weights: DEFAULT_WEIGHTS, existsFrom, excused: [], now: NOW });
          return {
            ...d,
            worst: worstStatus(overlapping.map((q) => q.level)),
            availability,
            incidentIds: [...new Set(overlapping.flatMap((q) => (q.incidentId ? [q.incidentId] : [])))],
          };
        });
        expect(result).toEqual(expected);
      }),
    );
  });
});

describe('barRuns', () => {
  const day = (i: number, worst: DayBar['worst'], incidentIds: string[] = [], availability: number | null = worst === null ? null : 1): DayBar => ({
    date: `d${i}`, start: i * 86_400_000, end: (i + 1) * 86_400_000, worst, availability, incidentIds,
  });

  it('merges quiet days, keeps every incident day on its own, and never crosses the recent window', () => {
    const bars = [
      day(0, null), day(1, null),
      day(2, 'operational'), day(3, 'operational'),
      day(4, 'partial_outage', ['a'], 0.99),
      day(5, 'operational'), day(6, 'operational'), day(7, 'operational'),
      day(8, 'degraded_performance', ['b'], 1), day(9, 'degraded_performance', ['b'], 1),
    ];
    const runs = barRuns(bars, 4);
    expect(runs.map((r) => [r.first.date, r.days, r.recent])).toEqual([
      ['d0', 2, false], ['d2', 2, false], ['d4', 1, false], ['d5', 1, false], ['d6', 2, true], ['d8', 1, true], ['d9', 1, true],
    ]);
    expect(runs.reduce((n, r) => n + r.days, 0)).toBe(bars.length);
  });

  it('keeps days with different availability apart', () => {
    const runs = barRuns([day(0, 'operational', [], 1), day(1, 'operational', [], 0.999)], 90);
    expect(runs).toHaveLength(2);
  });
});
