// One component's SLA attainment for one calendar month: availability, target, met or missed,
// error budget used and the credit tier reached.
import { computeAvailability, type Interval, type Weights } from './availability.ts';
import { creditTierFor, errorBudgetUsed, meetsTarget, type CreditTier } from './credit.ts';
import type { PeriodLike } from './status.ts';

export interface MonthlyReportInput {
  /** The calendar month in the site time zone, [start, end). */
  month: Interval;
  periods: readonly PeriodLike[];
  weights: Weights;
  existsFrom: number | null;
  excused: readonly Interval[];
  now: number;
  /** null when no SLA policy applies: availability is still shown, nothing is judged. */
  target: number | null;
  creditTiers: readonly CreditTier[];
}

export interface MonthlyReport {
  start: number;
  end: number;
  /** The month has not ended yet: figures cover the part up to now. */
  inProgress: boolean;
  countedMs: number;
  downtimeMs: number;
  /** null = no data (the component did not exist, or the month has not started). */
  availability: number | null;
  target: number | null;
  met: boolean | null;
  /** (1 − target) × the whole month's counted time; null without a target or data. */
  allowedDowntimeMs: number | null;
  /** downtime ÷ allowed downtime; may exceed 1, Infinity when the target allows none. */
  errorBudgetUsed: number | null;
  credit: CreditTier | null;
}

export function computeMonthlyReport(input: MonthlyReportInput): MonthlyReport {
  const { month, now, target } = input;
  const shared = { window: month, weights: input.weights, existsFrom: input.existsFrom, excused: input.excused };
  const { countedMs, downtimeMs, availability } = computeAvailability({ ...shared, periods: input.periods, now });
  // The budget belongs to the whole month, so a month in progress shows how much of it is
  // spent so far, not a budget that grows day by day.
  const wholeMonthMs = computeAvailability({ ...shared, periods: [], now: month.end }).countedMs;
  const hasData = availability !== null;
  const allowedDowntimeMs = target === null || !hasData ? null : (1 - target) * wholeMonthMs;
  return {
    start: month.start,
    end: month.end,
    inProgress: now < month.end,
    countedMs,
    downtimeMs,
    availability,
    target,
    met: meetsTarget(availability, target),
    allowedDowntimeMs,
    errorBudgetUsed: allowedDowntimeMs === null ? null : errorBudgetUsed(downtimeMs, allowedDowntimeMs),
    credit: target === null ? null : creditTierFor(availability, input.creditTiers),
  };
}
