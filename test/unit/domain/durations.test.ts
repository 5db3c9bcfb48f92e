import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeDurations,
  computeShownDurations,
  formatDuration,
  formatDurationLong,
  type TimelineDurations,
  type TimelineMoments,
} from '../../../src/domain/durations.ts';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const T0 = Date.UTC(2026, 10, 20, 8, 0);

function moments(offsets: Partial<Record<keyof TimelineMoments, number | null>>): TimelineMoments {
  const at = (k: keyof TimelineMoments) => {
    const v = offsets[k];
    return v === undefined || v === null ? null : T0 + v;
  };
  return {
    startedAt: T0 + (offsets.startedAt ?? 0),
    mitigatedAt: at('mitigatedAt'),
    impactEndedAt: at('impactEndedAt'),
    resolvedAt: at('resolvedAt'),
    firstUpdateAt: at('firstUpdateAt'),
  };
}

describe('computeDurations', () => {
  it.each<[string, TimelineMoments, number, TimelineDurations]>([
    [
      'closed: failover 3 h, customers affected 2 d 9 h, first update after 47 min',
      moments({ mitigatedAt: 3 * H, impactEndedAt: 2 * D + 9 * H, resolvedAt: 3 * D, firstUpdateAt: 47 * MIN }),
      T0 + 10 * D,
      {
        failover: { ms: 3 * H, ongoing: false },
        customerImpact: { ms: 2 * D + 9 * H, ongoing: false },
        impactAfterFailover: { ms: 2 * D + 6 * H, ongoing: false },
        timeToFirstUpdate: 47 * MIN,
      },
    ],
    [
      'open, nothing done yet: everything runs up to now',
      moments({}),
      T0 + 90 * MIN,
      {
        failover: { ms: 90 * MIN, ongoing: true },
        customerImpact: { ms: 90 * MIN, ongoing: true },
        impactAfterFailover: null,
        timeToFirstUpdate: null,
      },
    ],
    [
      'open, failed over, customers still affected',
      moments({ mitigatedAt: 2 * H, firstUpdateAt: 10 * MIN }),
      T0 + 5 * H,
      {
        failover: { ms: 2 * H, ongoing: false },
        customerImpact: { ms: 5 * H, ongoing: true },
        impactAfterFailover: { ms: 3 * H, ongoing: true },
        timeToFirstUpdate: 10 * MIN,
      },
    ],
    [
      'impact ended with the failover',
      moments({ mitigatedAt: H, impactEndedAt: H, resolvedAt: 2 * H, firstUpdateAt: 0 }),
      T0 + 3 * H,
      {
        failover: { ms: H, ongoing: false },
        customerImpact: { ms: H, ongoing: false },
        impactAfterFailover: { ms: 0, ongoing: false },
        timeToFirstUpdate: 0,
      },
    ],
    [
      'inconsistent moments clamp to zero rather than go negative',
      moments({ mitigatedAt: 2 * H, impactEndedAt: H, firstUpdateAt: -5 * MIN }),
      T0 + 3 * H,
      {
        failover: { ms: 2 * H, ongoing: false },
        customerImpact: { ms: H, ongoing: false },
        impactAfterFailover: { ms: 0, ongoing: false },
        timeToFirstUpdate: 0,
      },
    ],
    [
      'back-dated start after now (clock skew) clamps to zero',
      moments({ startedAt: 10 * MIN }),
      T0,
      {
        failover: { ms: 0, ongoing: true },
        customerImpact: { ms: 0, ongoing: true },
        impactAfterFailover: null,
        timeToFirstUpdate: null,
      },
    ],
    [
      'resolved without recorded moments (no customer impact): stops at resolution, never counts on',
      moments({ resolvedAt: 2 * H, firstUpdateAt: 5 * MIN }),
      T0 + 30 * D,
      {
        failover: { ms: 2 * H, ongoing: false },
        customerImpact: { ms: 2 * H, ongoing: false },
        impactAfterFailover: null,
        timeToFirstUpdate: 5 * MIN,
      },
    ],
  ])('%s', (_name, t, now, expected) => {
    expect(computeDurations(t, now)).toEqual(expected);
  });
});

describe('formatDuration and formatDurationLong', () => {
  it.each<[number, string, string]>([
    [0, '< 1 min', 'less than a minute'],
    [59_999, '< 1 min', 'less than a minute'],
    [-5 * MIN, '< 1 min', 'less than a minute'],
    [MIN, '1 min', '1 minute'],
    [47 * MIN + 59_999, '47 min', '47 minutes'],
    [H, '1 h', '1 hour'],
    [3 * H, '3 h', '3 hours'],
    [H + 5 * MIN, '1 h 5 min', '1 hour 5 minutes'],
    [3 * H + 12 * MIN + 30_000, '3 h 12 min', '3 hours 12 minutes'],
    [D, '1 d', '1 day'],
    [D + H, '1 d 1 h', '1 day 1 hour'],
    [2 * D + 6 * H + 59 * MIN, '2 d 6 h', '2 days 6 hours'],
    [2 * D + 5 * MIN, '2 d', '2 days'],
    [14 * D, '14 d', '14 days'],
    [400 * D + 23 * H, '400 d 23 h', '400 days 23 hours'],
  ])('%i ms → "%s" / "%s"', (ms, compact, long) => {
    expect(formatDuration(ms)).toBe(compact);
    expect(formatDurationLong(ms)).toBe(long);
  });
});

describe('shown durations (the words on the page)', () => {
  const SEC = 1000;
  it('agree with each other: the issue case no longer reads 1 min + less than a minute = 2 min', () => {
    // Started 08:00:40, failover done 08:02:30, customers back 08:02:50.
    const t = { startedAt: T0 + 40 * SEC, mitigatedAt: T0 + 2 * MIN + 30 * SEC, impactEndedAt: T0 + 2 * MIN + 50 * SEC, resolvedAt: T0 + 3 * MIN, firstUpdateAt: T0 + 61 * SEC };
    const exact = computeDurations(t, T0 + H);
    expect([formatDuration(exact.failover.ms), formatDuration(exact.customerImpact.ms)]).toEqual(['1 min', '2 min']);
    const shown = computeShownDurations(t, T0 + H);
    // The page's clock times read 08:00, 08:02, 08:02: two minutes each, nothing after failover.
    expect(formatDuration(shown.failover.ms)).toBe('2 min');
    expect(formatDuration(shown.customerImpact.ms)).toBe('2 min');
    expect(formatDurationLong(shown.impactAfterFailover!.ms)).toBe('less than a minute');
    expect(formatDuration(shown.timeToFirstUpdate!)).toBe('1 min');
  });

  it('always add up in whole minutes and keep ongoing as it was', () => {
    const at = fc.integer({ min: 0, max: 5 * D });
    fc.assert(
      fc.property(at, at, at, fc.boolean(), (a, b, c, resolved) => {
        const [start, mitigated, ended] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
        const t = { startedAt: T0 + start, mitigatedAt: T0 + mitigated, impactEndedAt: resolved ? T0 + ended : null, resolvedAt: resolved ? T0 + ended : null, firstUpdateAt: null };
        const now = T0 + 6 * D + 17 * SEC;
        const shown = computeShownDurations(t, now);
        const exact = computeDurations(t, now);
        for (const span of [shown.failover, shown.customerImpact, shown.impactAfterFailover!]) expect(span.ms % MIN).toBe(0);
        expect(shown.failover.ms + shown.impactAfterFailover!.ms).toBe(shown.customerImpact.ms);
        expect(shown.customerImpact.ongoing).toBe(exact.customerImpact.ongoing);
        // Never more than a minute away from the exact figure.
        expect(Math.abs(shown.customerImpact.ms - exact.customerImpact.ms)).toBeLessThan(MIN);
      }),
    );
  });
});
