import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS } from '../../../src/domain/availability.ts';
import {
  describeCreditTiers,
  describeMaintenanceRule,
  describeResponseTargets,
  describeWeights,
  formatBudgetUsed,
} from '../../../src/domain/sla-wording.ts';

describe('SLA wording', () => {
  it('explains each weight in minutes of downtime', () => {
    expect(describeWeights(DEFAULT_WEIGHTS)).toEqual([
      'Major outage: weight 1 — every minute counts in full.',
      'Partial outage: weight 0.3 — an hour counts as 18 min of downtime.',
      'Degraded performance: weight 0 — not counted as downtime.',
      'Maintenance that is not excused: weight 1 — every minute counts in full.',
    ]);
  });

  it('states the maintenance rule from the policy’s numbers', () => {
    expect(describeMaintenanceRule({ noticeDays: 30, maxHours: 48, maxPerYear: 2, allowedDays: [6, 7] }, DEFAULT_WEIGHTS)).toBe(
      'Planned maintenance is left out of counted time only when it was announced at least 30 days ahead, lasts at most ' +
        '48 hours, is one of at most 2 windows in its calendar year and starts on a Saturday or Sunday. A window that ' +
        "breaks any of these rules, and any time past a window's announced end, counts as downtime at weight 1.",
    );
    expect(describeMaintenanceRule({ noticeDays: 0, maxHours: null, maxPerYear: null, allowedDays: [5] }, DEFAULT_WEIGHTS)).toMatch(/ and starts on a Friday\. /);
    expect(describeMaintenanceRule({ noticeDays: 0, maxHours: null, maxPerYear: null, allowedDays: [5, 6, 7] }, DEFAULT_WEIGHTS)).toMatch(
      / starts on a Friday, Saturday or Sunday\. /,
    );
    expect(describeMaintenanceRule({ noticeDays: 0, maxHours: null, maxPerYear: null, allowedDays: null }, DEFAULT_WEIGHTS)).toMatch(
      /^Planned maintenance is left out of counted time only when it was announced before it starts\. /,
    );
  });

  it('lists credit tiers from the mildest and response targets by impact', () => {
    expect(describeCreditTiers([{ below: 0.99, creditPercent: 25 }, { below: 0.999, creditPercent: 10 }])).toBe(
      '10% credit below 99.90% and 25% credit below 99.00% of the monthly fee; exactly at a threshold is not below it.',
    );
    expect(describeCreditTiers([])).toBe('No service credits.');
    expect(describeResponseTargets({ critical: 120, major: 240, minor: 480 }, 0.98)).toBe(
      'First public update within 2 h for critical, 4 h for major and 8 h for minor incidents, counted from when ' +
        "customers began to be affected; at least 98.00% of a month's incidents must meet their target. Exactly at " +
        'the target counts as within it.',
    );
    expect(describeResponseTargets({}, 0.98)).toBe('No response-time targets are set.');
  });

  it.each([
    [0, '0.0%'],
    [0.5, '50.0%'],
    [1, '100.0%'],
    [1.0001, '100.1%'],
    [0.123, '12.3%'],
    [18.3 / 0.745, '2456.4%'],
    [Infinity, 'over budget (no downtime allowed)'],
  ])('formats %s of the error budget as %s', (used, text) => {
    expect(formatBudgetUsed(used)).toBe(text);
  });
});
