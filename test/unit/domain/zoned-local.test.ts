import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatZonedLocal, parseZonedLocal } from '../../../src/domain/time-zone.ts';

const utc = (iso: string) => Date.parse(iso);

describe('parseZonedLocal', () => {
  it.each([
    ['2026-01-15T09:30', 'Europe/Amsterdam', '2026-01-15T08:30:00Z'],
    ['2026-07-15T09:30', 'Europe/Amsterdam', '2026-07-15T07:30:00Z'],
    ['2026-07-15T09:30:15', 'UTC', '2026-07-15T09:30:15Z'],
    ['2026-03-08T12:00', 'America/New_York', '2026-03-08T16:00:00Z'],
    ['2026-07-15T09:30', 'Asia/Kolkata', '2026-07-15T04:00:00Z'],
    // Clocks go forward 02:00 → 03:00 in Amsterdam: 02:30 never happened; read as 03:30 CEST.
    ['2026-03-29T02:30', 'Europe/Amsterdam', '2026-03-29T01:30:00Z'],
    ['2026-03-29T03:00', 'Europe/Amsterdam', '2026-03-29T01:00:00Z'],
    ['2026-03-29T01:59', 'Europe/Amsterdam', '2026-03-29T00:59:00Z'],
    // Clocks go back 03:00 → 02:00: 02:30 happens twice; the first (CEST) is taken.
    ['2026-10-25T02:30', 'Europe/Amsterdam', '2026-10-25T00:30:00Z'],
    ['2026-10-25T03:00', 'Europe/Amsterdam', '2026-10-25T02:00:00Z'],
    ['2026-11-01T01:30', 'America/New_York', '2026-11-01T05:30:00Z'],
  ])('%s in %s → %s', (value, tz, expected) => {
    expect(parseZonedLocal(value, tz)).toBe(utc(expected));
  });

  it.each(['', 'yesterday', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01T10:60', '2026-01-01 10:00', '2026-01-01'])(
    'refuses %j',
    (value) => {
      expect(parseZonedLocal(value, 'Europe/Amsterdam')).toBeNull();
    },
  );

  it('round-trips every minute it formats', () => {
    const zones = ['Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(fc.integer({ min: utc('2000-01-01T00:00:00Z') / 60_000, max: utc('2040-01-01T00:00:00Z') / 60_000 }), fc.constantFrom(...zones), (minute, tz) => {
        const instant = minute * 60_000;
        const local = formatZonedLocal(instant, tz);
        const parsed = parseZonedLocal(local, tz)!;
        // A repeated wall-clock time maps to its first occurrence: same text, never later.
        expect(formatZonedLocal(parsed, tz)).toBe(local);
        expect(parsed).toBeLessThanOrEqual(instant);
      }),
    );
  });
});

describe('formatZonedLocal', () => {
  it.each([
    ['2026-01-15T08:30:45Z', 'Europe/Amsterdam', '2026-01-15T09:30'],
    ['2026-03-29T01:30:00Z', 'Europe/Amsterdam', '2026-03-29T03:30'],
    ['2026-12-31T23:59:00Z', 'Pacific/Auckland', '2027-01-01T12:59'],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(formatZonedLocal(utc(iso), tz)).toBe(expected);
  });
});
