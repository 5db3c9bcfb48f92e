// SLA comparisons: target met, credit tier reached, error budget used.

export interface CreditTier {
  /** Credit is owed when availability is strictly below this fraction. */
  below: number;
  creditPercent: number;
}

/**
 * Availability is a ratio of integers computed in floating point: 1 − 43.2 min ÷ 30 days
 * should be exactly 0.999 but may land one rounding step either side. A tolerance of
 * 1e-12 (about 3 µs in a month) keeps "exactly at the threshold" on the right side.
 */
const EPSILON = 1e-12;

export function isBelow(availability: number, threshold: number): boolean {
  return availability < threshold - EPSILON;
}

export function meetsTarget(availability: number | null, target: number | null): boolean | null {
  if (availability === null || target === null) return null;
  return !isBelow(availability, target);
}

/**
 * The highest tier reached: of the tiers whose `below` is strictly above the availability,
 * the one with the largest credit. Exactly at a threshold is not below it. null = no credit.
 */
export function creditTierFor(availability: number | null, tiers: readonly CreditTier[]): CreditTier | null {
  if (availability === null) return null;
  let reached: CreditTier | null = null;
  for (const tier of tiers) {
    if (isBelow(availability, tier.below) && (reached === null || tier.creditPercent > reached.creditPercent)) {
      reached = tier;
    }
  }
  return reached;
}

/**
 * Downtime ÷ allowed downtime, where allowed = (1 − target) × the month's counted time.
 * Above 1 means the budget is overspent. A 100% target allows nothing, so any downtime
 * overspends it without bound (Infinity).
 */
export function errorBudgetUsed(downtimeMs: number, allowedDowntimeMs: number): number {
  if (allowedDowntimeMs > 0) return downtimeMs / allowedDowntimeMs;
  return downtimeMs > 0 ? Infinity : 0;
}
