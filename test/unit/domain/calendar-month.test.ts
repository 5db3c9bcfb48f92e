import { describe, expect, it } from 'vitest';
import {
  compareMonths,
  daysOfMonth,
  formatMonthKey,
  monthInterval,
  parseMonthKey,
  shiftMonth,
} from '../../../src/domain/calendar-month.ts';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('parseMonthKey and formatMonthKey', () => {
  it.each([
    ['2026-10', { year: 2026, month: 10 }],
    ['2026-01', { year: 2026, month: 1 }],
    [' 2026-12 ', { year: 2026, month: 12 }],
  ])('%j → %j', (raw, expected) => {
    expect(parseMonthKey(raw)).toEqual(expected);
    expect(formatMonthKey(expected)).toBe(raw.trim());
  });

  it.each(['', '2026', '2026-1', '2026-13', '2026-00', '26-10', '2026/10', '2026-10-01', 'october', '1969-12'])(
    'rejects %j',
    (raw) => expect(parseMonthKey(raw)).toBeNull(),
  );
});

describe('shiftMonth and compareMonths', () => {
  it.each([
    [{ year: 2026, month: 1 }, -1, { year: 2025, month: 12 }],
    [{ year: 2026, month: 12 }, 1, { year: 2027, month: 1 }],
    [{ year: 2026, month: 11 }, -11, { year: 2025, month: 12 }],
    [{ year: 2026, month: 5 }, 0, { year: 2026, month: 5 }],
  ])('%j shifted by %i is %j', (from, by, expected) => {
    expect(shiftMonth(from, by)).toEqual(expected);
  });

  it('orders months', () => {
    expect(compareMonths({ year: 2025, month: 12 }, { year: 2026, month: 1 })).toBeLessThan(0);
    expect(compareMonths({ year: 2026, month: 3 }, { year: 2026, month: 3 })).toBe(0);
    expect(compareMonths({ year: 2026, month: 4 }, { year: 2026, month: 3 })).toBeGreaterThan(0);
  });
});

describe('daysOfMonth', () => {
  it('covers October 2026 in Amsterdam: 31 contiguous days, the 25th lasting 25 h', () => {
    const m = { year: 2026, month: 10 };
    const days = daysOfMonth(m, 'Europe/Amsterdam');
    expect(days).toHaveLength(31);
    expect(days[0]).toEqual({ date: '2026-10-01', start: utc('2026-09-30T22:00:00Z'), end: utc('2026-10-01T22:00:00Z') });
    expect(days.at(-1)).toEqual({ date: '2026-10-31', start: utc('2026-10-30T23:00:00Z'), end: utc('2026-10-31T23:00:00Z') });
    days.slice(1).forEach((d, i) => expect(d.start).toBe(days[i]!.end));
    expect(days.filter((d) => d.end - d.start !== 24 * H).map((d) => [d.date, (d.end - d.start) / H])).toEqual([['2026-10-25', 25]]);
    expect({ start: days[0]!.start, end: days.at(-1)!.end }).toEqual(monthInterval(m, 'Europe/Amsterdam'));
  });

  it('has a 23 h day in March 2026 and 28 days in February', () => {
    const march = daysOfMonth({ year: 2026, month: 3 }, 'Europe/Amsterdam');
    expect(march.filter((d) => d.end - d.start === 23 * H).map((d) => d.date)).toEqual(['2026-03-29']);
    expect(daysOfMonth({ year: 2026, month: 2 }, 'UTC')).toHaveLength(28);
    expect(daysOfMonth({ year: 2028, month: 2 }, 'UTC')).toHaveLength(29);
  });
});
