import { describe, expect, it } from 'vitest';
import { compareActiveIncidents, deriveHeadline, describeIncidents } from '../../../src/domain/headline.ts';
import type { IncidentImpact } from '../../../src/domain/status.ts';

const minorOutage = { indicator: 'minor', description: 'Minor Service Outage' } as const;
const operational = { indicator: 'none', description: 'All Systems Operational' } as const;
const partialSystem = { indicator: 'major', description: 'Partial System Outage' } as const;
const maintenance = { indicator: 'maintenance', description: 'Service Under Maintenance' } as const;

describe('deriveHeadline', () => {
  it.each([
    // The case: a critical incident whose components are only partly marked.
    [minorOutage, ['critical', 'minor'], 'critical', 'Major System Outage', '2 incidents in progress: 1 critical, 1 minor'],
    [operational, ['critical'], 'critical', 'Major System Outage', '1 critical incident in progress'],
    [operational, ['major', 'major'], 'major', 'Partial System Outage', '2 major incidents in progress'],
    [operational, ['minor'], 'minor', 'Minor Service Outage', '1 minor incident in progress'],
    [maintenance, ['minor'], 'minor', 'Minor Service Outage', '1 minor incident in progress'],
    // Components already say as much or worse: the standard words stand, no reason needed.
    [partialSystem, ['major'], 'major', 'Partial System Outage', null],
    [partialSystem, ['minor'], 'major', 'Partial System Outage', null],
    [minorOutage, ['minor'], 'minor', 'Minor Service Outage', null],
    [operational, ['none'], 'none', 'All Systems Operational', null],
    [operational, [], 'none', 'All Systems Operational', null],
  ] as const)('%o with %j → %s', (standard, impacts, indicator, description, reason) => {
    expect(deriveHeadline(standard, impacts as readonly IncidentImpact[])).toEqual({ indicator, description, reason });
  });

  it('never reads better than the worst incident nor than the components', () => {
    const rank = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 } as const;
    const impacts: IncidentImpact[] = ['none', 'minor', 'major', 'critical'];
    for (const standard of [operational, maintenance, minorOutage, partialSystem]) {
      for (const worst of impacts) {
        const h = deriveHeadline(standard, [worst]);
        expect(rank[h.indicator]).toBeGreaterThanOrEqual(rank[standard.indicator]);
        if (worst !== 'none') expect(rank[h.indicator]).toBeGreaterThanOrEqual(rank[worst]);
      }
    }
  });
});

describe('describeIncidents', () => {
  it('counts by impact, worst first', () => {
    expect(describeIncidents(['minor', 'critical', 'minor'])).toBe('3 incidents in progress: 1 critical, 2 minor');
    expect(describeIncidents(['none', 'major'])).toBe('2 incidents in progress: 1 major, 1 no-impact');
  });
});

describe('compareActiveIncidents', () => {
  it('orders by impact, then the most recently started', () => {
    const list = [
      { id: 'minor-new', impact: 'minor', startedAt: 300 },
      { id: 'critical-old', impact: 'critical', startedAt: 100 },
      { id: 'minor-old', impact: 'minor', startedAt: 200 },
      { id: 'critical-new', impact: 'critical', startedAt: 250 },
      { id: 'none', impact: 'none', startedAt: 400 },
    ] as const;
    expect([...list].sort(compareActiveIncidents).map((i) => i.id)).toEqual(['critical-new', 'critical-old', 'minor-new', 'minor-old', 'none']);
  });
});
