import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayKey,
  formatInstant,
  isValidTimeZone,
  lastDays,
  monthKey,
  monthWindow,
  zonedMidnight,
} from '../../../src/domain/time-zone.ts';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['+25:00', false],
  ])('%j → %s', (tz, expected) => {
    expect(isValidTimeZone(tz)).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-03-29', 0, '2026-03-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-01-31', 30, '2026-03-02'],
    ['2026-03-01', -89, '2025-12-02'],
  ])('%s %+d → %s', (key, n, expected) => {
    expect(addDays(key, n)).toBe(expected);
  });
});

describe('dayKey and zonedMidnight', () => {
  it.each([
    ['2026-03-28T22:59:59.999Z', 'Europe/Berlin', '2026-03-28'],
    ['2026-03-28T23:00:00.000Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T21:59:59.999Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T22:00:00.000Z', 'Europe/Berlin', '2026-03-30'],
    ['2026-11-01T03:59:59.999Z', 'America/New_York', '2026-10-31'],
    ['2026-11-01T04:00:00.000Z', 'America/New_York', '2026-11-01'],
    ['2026-11-22T23:30:00.000Z', 'UTC', '2026-11-22'],
    ['2026-11-22T23:30:00.000Z', 'Asia/Kolkata', '2026-11-23'],
  ])('%s in %s is %s', (iso, tz, expected) => {
    expect(dayKey(utc(iso), tz)).toBe(expected);
  });

  it.each([
    // Berlin: spring forward 2026-03-29 (23 h), fall back 2026-10-25 (25 h).
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00Z', 23],
    ['2026-03-30', 'Europe/Berlin', '2026-03-29T22:00:00Z', 24],
    ['2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00Z', 25],
    ['2026-10-26', 'Europe/Berlin', '2026-10-25T23:00:00Z', 24],
    // New York: spring forward 2026-03-08 (23 h), fall back 2026-11-01 (25 h).
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00Z', 23],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00Z', 25],
    ['2026-11-22', 'America/New_York', '2026-11-22T05:00:00Z', 24],
    // Santiago changes clocks at midnight: 00:00 never happens on 2026-09-06 (day starts 01:00),
    // and on 2026-04-05 the clock falls back from 24:00 to 23:00, so 2026-04-04 lasts 25 h.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00Z', 23],
    ['2026-04-04', 'America/Santiago', '2026-04-04T03:00:00Z', 25],
    ['2026-04-05', 'America/Santiago', '2026-04-05T04:00:00Z', 24],
    // Havana springs forward at midnight (00:00 → 01:00) and falls back at 01:00 → 00:00,
    // so on 2026-11-01 midnight happens twice and the day starts at the first one.
    ['2026-03-08', 'America/Havana', '2026-03-08T05:00:00Z', 23],
    ['2026-11-01', 'America/Havana', '2026-11-01T04:00:00Z', 25],
    ['2026-11-22', 'UTC', '2026-11-22T00:00:00Z', 24],
  ])('%s in %s starts at %s and lasts %i h', (key, tz, iso, hours) => {
    const start = zonedMidnight(key, tz);
    expect(start).toBe(utc(iso));
    expect(zonedMidnight(addDays(key, 1), tz) - start).toBe(hours * H);
  });

  it('agrees with dayKey for any instant (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: utc('2000-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        (instant, tz) => {
          const key = dayKey(instant, tz);
          const start = zonedMidnight(key, tz);
          expect(start).toBeLessThanOrEqual(instant);
          expect(zonedMidnight(addDays(key, 1), tz)).toBeGreaterThan(instant);
          expect(dayKey(start, tz)).toBe(key);
          expect(dayKey(start - 1, tz)).toBe(addDays(key, -1));
        },
      ),
    );
  });
});

describe('lastDays', () => {
  it('covers the 23 h DST day in Berlin, oldest first, today last', () => {
    expect(lastDays(utc('2026-03-30T10:00:00Z'), 'Europe/Berlin', 3)).toEqual([
      { date: '2026-03-28', start: utc('2026-03-27T23:00:00Z'), end: utc('2026-03-28T23:00:00Z') },
      { date: '2026-03-29', start: utc('2026-03-28T23:00:00Z'), end: utc('2026-03-29T22:00:00Z') },
      { date: '2026-03-30', start: utc('2026-03-29T22:00:00Z'), end: utc('2026-03-30T22:00:00Z') },
    ]);
  });

  it('uses the local date, not the UTC one, for today', () => {
    // 03:30 UTC on the 22nd is still the 21st in New York.
    expect(lastDays(utc('2026-11-22T03:30:00Z'), 'America/New_York', 1)).toEqual([
      { date: '2026-11-21', start: utc('2026-11-21T05:00:00Z'), end: utc('2026-11-22T05:00:00Z') },
    ]);
  });

  it('returns 90 contiguous days ending with today', () => {
    const now = utc('2026-11-22T12:00:00Z');
    const days = lastDays(now, 'Europe/Berlin', 90);
    expect(days).toHaveLength(90);
    expect(days[0]?.date).toBe('2026-08-25');
    expect(days.at(-1)?.date).toBe('2026-11-22');
    days.slice(1).forEach((d, i) => expect(d.start).toBe(days[i]?.end));
    expect(days.filter((d) => d.end - d.start === 25 * H).map((d) => d.date)).toEqual(['2026-10-25']);
  });
});

describe('monthWindow and monthKey', () => {
  it.each([
    [2026, 3, 'Europe/Berlin', '2026-02-28T23:00:00Z', '2026-03-31T22:00:00Z', 31 * 24 - 1],
    [2026, 10, 'Europe/Berlin', '2026-09-30T22:00:00Z', '2026-10-31T23:00:00Z', 31 * 24 + 1],
    [2026, 12, 'Europe/Berlin', '2026-11-30T23:00:00Z', '2026-12-31T23:00:00Z', 31 * 24],
    [2026, 11, 'America/New_York', '2026-11-01T04:00:00Z', '2026-12-01T05:00:00Z', 30 * 24 + 1],
    [2028, 2, 'UTC', '2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z', 29 * 24],
  ])('%i-%i in %s = [%s, %s), %i h', (year, month, tz, start, end, hours) => {
    const w = monthWindow(year, month, tz);
    expect(w).toEqual({ start: utc(start), end: utc(end) });
    expect(w.end - w.start).toBe(hours * H);
  });

  it.each([
    ['2026-02-28T23:30:00Z', 'Europe/Berlin', 2026, 3],
    ['2026-02-28T23:30:00Z', 'UTC', 2026, 2],
    ['2027-01-01T03:00:00Z', 'America/New_York', 2026, 12],
  ])('%s in %s is %i-%i', (iso, tz, year, month) => {
    expect(monthKey(utc(iso), tz)).toEqual({ year, month });
  });
});

describe('formatInstant', () => {
  it.each([
    ['2026-11-22T13:05:00Z', 'Europe/Berlin', 'datetime', '22 Nov 2026, 14:05 CET'],
    ['2026-07-01T12:00:00Z', 'Europe/Berlin', 'datetime', '1 Jul 2026, 14:00 CEST'],
    ['2026-11-22T13:05:00Z', 'America/New_York', 'datetime', '22 Nov 2026, 08:05 EST'],
    ['2026-09-02T03:05:00Z', 'UTC', 'datetime', '2 Sep 2026, 03:05 UTC'],
    ['2026-11-22T13:05:00Z', 'Europe/Berlin', 'date', '22 Nov 2026'],
    ['2026-11-22T23:30:00Z', 'Europe/Berlin', 'date', '23 Nov 2026'],
    ['2026-11-22T23:30:00Z', 'Europe/Berlin', 'day', '23 Nov'],
    ['2026-09-02T03:05:00Z', 'UTC', 'day', '2 Sep'],
    ['2026-11-22T13:05:00Z', 'Europe/Berlin', 'time', '14:05'],
    ['2026-01-01T00:00:00Z', 'UTC', 'time', '00:00'],
    ['2026-11-22T13:05:00Z', 'Europe/Berlin', 'month', 'November 2026'],
    ['2026-11-30T23:30:00Z', 'Europe/Berlin', 'month', 'December 2026'],
  ] as const)('%s in %s as %s → %s', (iso, tz, style, expected) => {
    expect(formatInstant(utc(iso), tz, style)).toBe(expected);
  });
});
