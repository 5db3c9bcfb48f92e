import { describe, expect, it } from 'vitest';
import {
  computeDurations,
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
