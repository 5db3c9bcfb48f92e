import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAvailability, DEFAULT_WEIGHTS, type Interval } from '../../../src/domain/availability.ts';
import { daysOfMonth, monthInterval, type CalendarMonth } from '../../../src/domain/calendar-month.ts';
import { evaluateMaintenanceWindows, type MaintenanceWindowLike } from '../../../src/domain/maintenance-policy.ts';
import { computeMonthlyReport, type MonthlyReportInput } from '../../../src/domain/monthly-report.ts';
import type { ImpactLevel, PeriodLike } from '../../../src/domain/status.ts';
import { zonedMidnight } from '../../../src/domain/time-zone.ts';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const TZ = 'Europe/Amsterdam';
const utc = (iso: string) => Date.parse(iso);
const p = (level: ImpactLevel, from: string, to: string | null): PeriodLike => ({
  level,
  startedAt: utc(from),
  endedAt: to === null ? null : utc(to),
});

// October 2026 in Amsterdam: 1 Oct 00:00 CEST (30 Sep 22:00 UTC) to 1 Nov 00:00 CET
// (31 Oct 23:00 UTC). Clocks go back on 25 Oct, so the month lasts 31 × 24 + 1 = 745 h.
const OCTOBER = monthInterval({ year: 2026, month: 10 }, TZ);
const NOVEMBER = monthInterval({ year: 2026, month: 11 }, TZ);
const LONG_AFTER = utc('2027-06-01T00:00:00Z');
const EMAIL_SLA = {
  target: 0.999,
  creditTiers: [
    { below: 0.999, creditPercent: 10 },
    { below: 0.99, creditPercent: 25 },
  ],
};

function report(overrides: Partial<MonthlyReportInput>) {
  return computeMonthlyReport({
    month: OCTOBER,
    periods: [],
    weights: DEFAULT_WEIGHTS,
    existsFrom: null,
    excused: [],
    now: LONG_AFTER,
    ...EMAIL_SLA,
    ...overrides,
  });
}

describe('computeMonthlyReport', () => {
  it('has October 2026 in Amsterdam last 745 h', () => {
    expect(OCTOBER).toEqual({ start: utc('2026-09-30T22:00:00Z'), end: utc('2026-10-31T23:00:00Z') });
    expect(report({}).countedMs).toBe(745 * H);
  });

  it('counts the failover’s 2 days of partial outage, not just its 3 h failover', () => {
    // SMTP relay: major outage 3 h (the failover), then partial outage (weight 0.3) for 51 h
    // until the last queue was replayed. Weighted downtime = 3 + 0.3 × 51 = 18.3 h.
    const t = utc('2026-10-13T12:13:00Z');
    const r = report({
      periods: [
        { level: 'major_outage', startedAt: t, endedAt: t + 3 * H },
        { level: 'partial_outage', startedAt: t + 3 * H, endedAt: t + 54 * H },
      ],
    });
    expect(r.downtimeMs).toBeCloseTo(18.3 * H, 3);
    expect(r.availability).toBeCloseTo(1 - 18.3 / 745, 12); // 97.54%
    expect(r.availability!).toBeLessThan(1 - 3 / 745); // the 3 h figure would be 99.60%
    expect(r.met).toBe(false);
    // Allowed: 0.1% of 745 h = 0.745 h; used 18.3 ÷ 0.745 = 24.56 times the budget.
    expect(r.allowedDowntimeMs).toBeCloseTo(0.745 * H, 3);
    expect(r.errorBudgetUsed).toBeCloseTo(18.3 / 0.745, 9);
    expect(r.credit).toEqual({ below: 0.99, creditPercent: 25 });
    expect(r.inProgress).toBe(false);
  });

  it('never counts overlapping incidents twice: the heaviest weight wins at each instant', () => {
    // Major 10:00–12:00 and partial 11:00–15:00 on 5 Oct: 2 h major + 3 h × 0.3 = 2.9 h.
    // Two majors 1–4 h and 2–6 h on 6 Oct: 5 h, not 7 h. Total 7.9 h.
    const r = report({
      periods: [
        p('major_outage', '2026-10-05T10:00:00Z', '2026-10-05T12:00:00Z'),
        p('partial_outage', '2026-10-05T11:00:00Z', '2026-10-05T15:00:00Z'),
        p('major_outage', '2026-10-06T01:00:00Z', '2026-10-06T04:00:00Z'),
        p('major_outage', '2026-10-06T02:00:00Z', '2026-10-06T06:00:00Z'),
      ],
    });
    expect(r.downtimeMs).toBeCloseTo(7.9 * H, 3);
    expect(r.availability).toBeCloseTo(1 - 7.9 / 745, 12);
  });

  it('splits a period spanning midnight, the DST change and the month end between the months', () => {
    // 22:00 CEST Sat 24 Oct (20:00 UTC) to 02:00 CET Sun 1 Nov (01:00 UTC), major outage.
    // October's share runs to 31 Oct 23:00 UTC: 7 days 3 h = 171 h (the 25 h day included).
    // November's share: 23:00 to 01:00 UTC = 2 h of a 720 h month.
    const periods = [p('major_outage', '2026-10-24T20:00:00Z', '2026-11-01T01:00:00Z')];
    const october = report({ periods });
    const november = report({ periods, month: NOVEMBER });
    expect(october.downtimeMs).toBe(171 * H);
    expect(october.availability).toBeCloseTo(1 - 171 / 745, 12);
    expect(november.countedMs).toBe(720 * H);
    expect(november.downtimeMs).toBe(2 * H);
    const days = daysOfMonth({ year: 2026, month: 10 }, TZ);
    const downOn = (date: string) => {
      const d = days.find((x) => x.date === date)!;
      return computeAvailability({ window: d, periods, weights: DEFAULT_WEIGHTS, existsFrom: null, excused: [], now: LONG_AFTER })
        .downtimeMs;
    };
    expect(downOn('2026-10-24')).toBe(2 * H);
    expect(downOn('2026-10-25')).toBe(25 * H);
    expect(downOn('2026-10-31')).toBe(24 * H);
  });

  it('counts a component created mid-month only from its first day', () => {
    // Exists from 15 Oct 00:00 CEST (14 Oct 22:00 UTC): 17 days + the extra DST hour = 409 h.
    // The outage on 10 Oct predates it; the 1 h on 20 Oct counts.
    const r = report({
      existsFrom: zonedMidnight('2026-10-15', TZ),
      periods: [
        p('major_outage', '2026-10-10T08:00:00Z', '2026-10-10T09:00:00Z'),
        p('major_outage', '2026-10-20T08:00:00Z', '2026-10-20T09:00:00Z'),
      ],
    });
    expect(r.countedMs).toBe(409 * H);
    expect(r.downtimeMs).toBe(1 * H);
    expect(r.availability).toBeCloseTo(1 - 1 / 409, 12);
    // Allowed: 0.1% of 409 h = 0.409 h.
    expect(r.allowedDowntimeMs).toBeCloseTo(0.409 * H, 3);
    expect(r.errorBudgetUsed).toBeCloseTo(1 / 0.409, 9);
  });

  describe('maintenance under a 30-day-notice, ≤ 48 h, ≤ 2 per year policy', () => {
    const rules = { noticeDays: 30, maxHours: 48, maxPerYear: 2, allowedDays: null };
    function withWindow(window: Omit<MaintenanceWindowLike, 'id' | 'status'>, actual: [string, string]) {
      const evaluation = evaluateMaintenanceWindows([{ id: 'm', status: 'completed', ...window }], rules, TZ).get('m')!;
      const excused = evaluation.excusedInterval ? [evaluation.excusedInterval] : [];
      return { evaluation, r: report({ excused, periods: [p('under_maintenance', ...actual)] }) };
    }
    const start = utc('2026-10-10T00:00:00Z');

    it('excuses a window announced in time and kept: 2 h out of counted time, no downtime', () => {
      const { evaluation, r } = withWindow(
        { announcedAt: start - 35 * DAY, scheduledStart: start, scheduledEnd: start + 2 * H },
        ['2026-10-10T00:02:00Z', '2026-10-10T01:40:00Z'],
      );
      expect(evaluation.excused).toBe(true);
      expect(r.countedMs).toBe(743 * H);
      expect(r.downtimeMs).toBe(0);
      expect(r.availability).toBe(1);
    });

    it('counts a window announced 2 days ahead as downtime: 100 min at weight 1', () => {
      const { evaluation, r } = withWindow(
        { announcedAt: start - 2 * DAY, scheduledStart: start, scheduledEnd: start + H },
        ['2026-10-10T00:00:00Z', '2026-10-10T01:40:00Z'],
      );
      expect(evaluation.problems).toEqual(['Announced 2 days ahead; the policy requires 30 days.']);
      expect(r.countedMs).toBe(745 * H);
      expect(r.downtimeMs).toBe(100 * MIN);
      expect(r.availability).toBeCloseTo(1 - 100 / (745 * 60), 12);
    });

    it('excuses the announced hour but counts the 30 min overrun', () => {
      const { evaluation, r } = withWindow(
        { announcedAt: start - 40 * DAY, scheduledStart: start, scheduledEnd: start + H },
        ['2026-10-10T00:00:00Z', '2026-10-10T01:30:00Z'],
      );
      expect(evaluation.excused).toBe(true);
      expect(r.countedMs).toBe(744 * H);
      expect(r.downtimeMs).toBe(30 * MIN);
      expect(r.availability).toBeCloseTo(1 - 0.5 / 744, 12);
    });
  });

  describe('credit tiers at their boundaries (a 720 h month, April 2026 in UTC)', () => {
    const april = monthInterval({ year: 2026, month: 4 }, 'UTC');
    const down = (ms: number) =>
      report({ month: april, periods: [{ level: 'major_outage', startedAt: april.start, endedAt: april.start + ms }] });
    // 0.1% of 720 h = 43.2 min; 1% = 7.2 h.
    it.each<[string, number, boolean, number | null]>([
      ['no downtime', 0, true, null],
      ['exactly 43.2 min: availability exactly 99.9%, not below it', 43.2 * MIN, true, null],
      ['43.2 min + 1 s: below 99.9%', 43.2 * MIN + 1000, false, 10],
      ['exactly 7.2 h: availability exactly 99%, not below it', 7.2 * H, false, 10],
      ['7.2 h + 1 s: below 99%', 7.2 * H + 1000, false, 25],
    ])('%s', (_name, ms, met, credit) => {
      const r = down(ms);
      expect(r.met).toBe(met);
      expect(r.credit?.creditPercent ?? null).toBe(credit);
    });

    it('uses exactly the whole budget at exactly the target', () => {
      expect(down(43.2 * MIN).errorBudgetUsed).toBeCloseTo(1, 12);
      expect(down(7.2 * H).errorBudgetUsed).toBeCloseTo(10, 12);
    });
  });

  it('reports a month in progress up to now, against the whole month’s budget', () => {
    // 10 days into October (240 h counted), 1 h down: the budget is 0.745 h for the month.
    const now = OCTOBER.start + 10 * DAY;
    const r = report({ now, periods: [p('major_outage', '2026-10-02T00:00:00Z', '2026-10-02T01:00:00Z')] });
    expect(r.inProgress).toBe(true);
    expect(r.countedMs).toBe(240 * H);
    expect(r.availability).toBeCloseTo(1 - 1 / 240, 12);
    expect(r.errorBudgetUsed).toBeCloseTo(1 / 0.745, 9);
  });

  it('has no data, and judges nothing, for a month before the component existed or without a policy', () => {
    const before = report({ existsFrom: NOVEMBER.start });
    expect(before).toMatchObject({ availability: null, met: null, allowedDowntimeMs: null, errorBudgetUsed: null, credit: null });
    const noPolicy = report({ target: null, creditTiers: [], periods: [p('major_outage', '2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z')] });
    expect(noPolicy.availability).toBeCloseTo(1 - 24 / 745, 12);
    expect(noPolicy).toMatchObject({ target: null, met: null, errorBudgetUsed: null, credit: null });
  });
});

describe('days of a month sum to the month (property)', () => {
  const LEVELS: ImpactLevel[] = ['major_outage', 'partial_outage', 'degraded_performance', 'under_maintenance'];
  // Months of 2026 around both DST changes, in a zone with DST.
  const monthArb = fc.constantFrom<CalendarMonth>(...[2, 3, 4, 10, 11].map((month) => ({ year: 2026, month })));

  it('sums daily weighted downtime and counted time to the monthly figures', () => {
    fc.assert(
      fc.property(
        monthArb,
        fc.array(fc.tuple(fc.constantFrom(...LEVELS), fc.integer({ min: -3 * 24, max: 33 * 24 }), fc.integer({ min: 0, max: 80 }), fc.boolean()), {
          maxLength: 8,
        }),
        fc.option(fc.integer({ min: -2 * 24, max: 32 * 24 })),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 31 * 24 }), fc.integer({ min: 1, max: 30 })), { maxLength: 3 }),
        (month, raw, existsHour, rawExcused) => {
          const window = monthInterval(month, TZ);
          const at = (hour: number) => window.start + hour * H + 17 * MIN;
          const periods: PeriodLike[] = raw.map(([level, from, length, open]) => ({
            level,
            startedAt: at(from),
            endedAt: open ? null : at(from + length),
          }));
          const excused: Interval[] = rawExcused.map(([from, length]) => ({ start: at(from), end: at(from + length) }));
          const shared = { periods, weights: DEFAULT_WEIGHTS, existsFrom: existsHour === null ? null : at(existsHour), excused, now: LONG_AFTER };
          const monthly = computeMonthlyReport({ ...shared, month: window, target: 0.999, creditTiers: [] });
          const days = daysOfMonth(month, TZ).map((day) => computeAvailability({ ...shared, window: day }));
          expect(days.reduce((sum, d) => sum + d.countedMs, 0)).toBe(monthly.countedMs);
          expect(days.reduce((sum, d) => sum + d.downtimeMs, 0)).toBeCloseTo(monthly.downtimeMs, 3);
        },
      ),
    );
  });
});
