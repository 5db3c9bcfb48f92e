import { describe, expect, it } from 'vitest';
import { STALE_AFTER_MS, updateFreshness } from '../../../src/domain/update-freshness.ts';

describe('updateFreshness', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  it.each([
    [0, false],
    [STALE_AFTER_MS, false],
    [STALE_AFTER_MS + 1, true],
    [5 * 3_600_000, true],
  ])('%d ms after the last update → stale %s', (ago, stale) => {
    expect(updateFreshness(now - ago, now)).toEqual({ sinceMs: ago, stale });
  });

  it('never reports negative silence for an update stamped a moment ahead', () => {
    expect(updateFreshness(now + 5_000, now)).toEqual({ sinceMs: 0, stale: false });
  });
});
