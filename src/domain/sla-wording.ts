// The SLA rules in force, in plain words, so the uptime page explains every figure it shows.
import type { Weights } from './availability.ts';
import type { CreditTier } from './credit.ts';
import { formatDuration } from './durations.ts';
import { formatPercent } from './format-number.ts';
import type { MaintenanceRules } from './maintenance-policy.ts';
import type { TargetedImpact } from './response-compliance.ts';
import { COMPONENT_STATUS_LABELS, impactLabel, INCIDENT_LEVELS, type ClassLabels } from './status.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** The incident levels, worst first. */
const LEVELS_WORST_FIRST = [...INCIDENT_LEVELS].reverse();

function listInWords(items: string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function weightMeaning(weight: number): string {
  if (weight <= 0) return 'not counted as downtime';
  if (weight >= 1) return 'every minute counts in full';
  return `an hour counts as ${formatDuration(weight * 3_600_000)} of downtime`;
}

/** One line per level: "Partial outage: weight 0.3 — an hour counts as 18 min of downtime." */
export function describeWeights(weights: Weights): string[] {
  const lines = LEVELS_WORST_FIRST.map((level) => `${COMPONENT_STATUS_LABELS[level]}: weight ${weights[level]} — ${weightMeaning(weights[level])}.`);
  lines.push(`Maintenance that is not excused: weight ${weights.under_maintenance} — ${weightMeaning(weights.under_maintenance)}.`);
  return lines;
}

export function describeMaintenanceRule(rules: MaintenanceRules, weights: Weights): string {
  const conditions = [
    rules.noticeDays > 0 ? `announced at least ${plural(rules.noticeDays, 'day')} ahead` : 'announced before it starts',
  ];
  if (rules.maxHours !== null) conditions.push(`lasts at most ${plural(rules.maxHours, 'hour')}`);
  if (rules.maxPerYear !== null) conditions.push(`is one of at most ${plural(rules.maxPerYear, 'window')} in its calendar year`);
  if (rules.allowedDays !== null) {
    // A window starts on one day: "on a Saturday or Sunday", never "on Saturday and Sunday".
    conditions.push(`starts on a ${listInWords(rules.allowedDays.map((d) => WEEKDAYS[d - 1] ?? `day ${d}`), 'or')}`);
  }
  return (
    `Planned maintenance is left out of counted time only when it was ${listInWords(conditions)}. ` +
    `A window that breaks any of these rules, and any time past a window's announced end, counts as downtime ` +
    `at weight ${weights.under_maintenance}.`
  );
}

export function describeCreditTiers(tiers: readonly CreditTier[]): string {
  if (tiers.length === 0) return 'No service credits.';
  const sorted = [...tiers].sort((a, b) => b.below - a.below);
  const parts = sorted.map((t) => `${t.creditPercent}% credit below ${formatPercent(t.below)}`);
  return `${listInWords(parts)} of the monthly fee; exactly at a threshold is not below it.`;
}

export function describeResponseTargets(targetMinutes: Partial<Record<TargetedImpact, number>>, goal: number, classes: ClassLabels = {}): string {
  const parts = (['critical', 'major', 'minor'] as const).flatMap((impact) => {
    const minutes = targetMinutes[impact];
    return typeof minutes === 'number' ? [`${formatDuration(minutes * 60_000)} for ${impactLabel(impact, classes).toLowerCase()}`] : [];
  });
  if (parts.length === 0) return 'No response-time targets are set.';
  return (
    `First public update within ${listInWords(parts)} incidents, counted from when customers began to be affected; ` +
    `at least ${formatPercent(goal)} of a month's incidents must meet their target. Exactly at the target counts as within it.`
  );
}

/**
 * "5% of the monthly fee when fewer than 98.00% of a month's incidents get their first public
 * update within target" — the response-time credits, largest threshold first.
 */
export function describeResponseCreditTiers(tiers: readonly CreditTier[]): string {
  if (tiers.length === 0) return 'No credits for missed response times.';
  const sorted = [...tiers].sort((a, b) => b.below - a.below);
  const parts = sorted.map((t) => `${t.creditPercent}% of the monthly fee when fewer than ${formatPercent(t.below)}`);
  return (
    `Response-time credit: ${listInWords(parts)} of a month's counted incidents get their first public update within target ` +
    `(the largest credit reached applies; exactly at a threshold is not below it; a month with no counted incident owes none).`
  );
}

/** "12.4%", rounded up to 0.1 so an overspent budget never reads as exactly spent. */
export function formatBudgetUsed(used: number): string {
  if (used === Infinity) return 'over budget (no downtime allowed)';
  const tenths = Math.ceil(used * 1000 - 1e-9) / 10;
  return `${tenths.toFixed(1)}%`;
}

/** What a cancelled maintenance window means for availability. */
export const CANCELLED_WINDOW_VERDICT = 'cancelled: the window never ran, so it counts for nothing (no downtime, nothing excused).';
