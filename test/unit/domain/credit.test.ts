import { describe, expect, it } from 'vitest';
import { creditTierFor, errorBudgetUsed, meetsTarget } from '../../../src/domain/credit.ts';

const TIERS = [
  { below: 0.999, creditPercent: 10 },
  { below: 0.99, creditPercent: 25 },
];

describe('creditTierFor', () => {
  it.each<[number | null, number | null]>([
    [null, null],
    [1, null],
    [0.9995, null],
    // Exactly at a threshold is not below it.
    [0.999, null],
    [0.99899, 10],
    [0.99, 10],
    [0.98999, 25],
    [0, 25],
  ])('availability %s → credit %s%', (availability, credit) => {
    expect(creditTierFor(availability, TIERS)?.creditPercent ?? null).toBe(credit);
  });

  it('takes the largest credit reached, whatever the order of the tiers', () => {
    expect(creditTierFor(0.5, [...TIERS].reverse())?.creditPercent).toBe(25);
    expect(creditTierFor(0.5, [])).toBeNull();
  });

  it('treats a float one rounding step below the threshold as at the threshold', () => {
    // 1 − 0.001 computed as a ratio of a 30-day month: 2 592 000 ms ÷ 2 592 000 000 ms.
    expect(creditTierFor(1 - 2_592_000 / 2_592_000_000, TIERS)).toBeNull();
    expect(creditTierFor(0.999 - 1e-15, TIERS)).toBeNull();
  });
});

describe('meetsTarget', () => {
  it.each<[number | null, number | null, boolean | null]>([
    [0.999, 0.999, true],
    [0.9989, 0.999, false],
    [1, 0.99, true],
    [null, 0.99, null],
    [0.5, null, null],
  ])('%s against %s → %s', (availability, target, expected) => {
    expect(meetsTarget(availability, target)).toBe(expected);
  });
});

describe('errorBudgetUsed', () => {
  it.each([
    [0, 100, 0],
    [50, 100, 0.5],
    [100, 100, 1],
    [250, 100, 2.5],
    [0, 0, 0],
    [1, 0, Infinity],
  ])('%i ms down of %i ms allowed → %s', (down, allowed, expected) => {
    expect(errorBudgetUsed(down, allowed)).toBe(expected);
  });
});
