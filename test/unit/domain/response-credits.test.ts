// Response-time credits (a managed-service provider refunds 5% of the fee when fewer than 98% of
// a month's incidents were answered in time) and fault classes named in the contract's words.
import { describe, expect, it } from 'vitest';
import { computeResponseCompliance, type ResponseIncident } from '../../../src/domain/response-compliance.ts';
import { describeResponseCreditTiers, describeResponseTargets } from '../../../src/domain/sla-wording.ts';
import { impactLabel } from '../../../src/domain/status.ts';

const MIN = 60_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const T0 = Date.parse('2026-11-02T08:00:00Z');
const TIERS = [{ below: 0.98, creditPercent: 5 }, { below: 0.5, creditPercent: 10 }];

/** `within` incidents answered in 30 min and `late` ones in 3 h, all critical (target 2 h). */
function month(within: number, late: number): ResponseIncident[] {
  return Array.from({ length: within + late }, (_, i) => ({
    id: `i${i}`,
    title: `Incident ${i}`,
    impact: 'critical' as const,
    startedAt: T0 + i * 3_600_000,
    firstUpdateAt: T0 + i * 3_600_000 + (i < within ? 30 : 180) * MIN,
  }));
}

const creditFor = (incidents: ResponseIncident[]) =>
  computeResponseCompliance({ incidents, targetMinutes: { critical: 120 }, goal: 0.98, creditTiers: TIERS, now: NOW }).credit;

describe('response-time credit', () => {
  it('owes 5% when compliance is below 98%, 10% below 50%, nothing at or above 98%', () => {
    expect(creditFor(month(49, 1))).toBeNull(); // exactly 98%: not below
    expect(creditFor(month(48, 2))).toEqual({ below: 0.98, creditPercent: 5 }); // 96%
    expect(creditFor(month(2, 1))).toEqual({ below: 0.98, creditPercent: 5 }); // 66.7%
    expect(creditFor(month(1, 1))).toEqual({ below: 0.98, creditPercent: 5 }); // exactly 50%: the 10% tier is not reached
    expect(creditFor(month(1, 2))).toEqual({ below: 0.5, creditPercent: 10 }); // 33.3%
  });

  it('owes nothing in a month with no counted incident, and nothing without tiers', () => {
    expect(creditFor([])).toBeNull();
    const late = month(0, 3);
    expect(computeResponseCompliance({ incidents: late, targetMinutes: { critical: 120 }, goal: 0.98, now: NOW }).credit).toBeNull();
  });

  it('does not count an incident still waiting for its first update within target', () => {
    const pending: ResponseIncident = { id: 'p', title: 'Pending', impact: 'critical', startedAt: NOW - 30 * MIN, firstUpdateAt: null };
    expect(creditFor([pending])).toBeNull();
    expect(creditFor([...month(1, 0), pending])).toBeNull();
  });

  it('states the credit rule in plain words', () => {
    expect(describeResponseCreditTiers([{ below: 0.98, creditPercent: 5 }])).toBe(
      "Response-time credit: 5% of the monthly fee when fewer than 98.00% of a month's counted incidents get their first public " +
        'update within target (the largest credit reached applies; exactly at a threshold is not below it; a month with no ' +
        'counted incident owes none).',
    );
    expect(describeResponseCreditTiers(TIERS)).toMatch(/^Response-time credit: 5% of the monthly fee when fewer than 98\.00% and 10% of the monthly fee when fewer than 50\.00% of/);
    expect(describeResponseCreditTiers([])).toBe('No credits for missed response times.');
  });
});

describe('fault classes in the contract’s words', () => {
  const EMAIL_SLA = { critical: 'Critical', major: 'Semi-critical', minor: 'Non-critical' };

  it('labels impacts with the policy’s words and falls back to the usual ones', () => {
    expect(impactLabel('major', EMAIL_SLA)).toBe('Semi-critical');
    expect(impactLabel('minor', EMAIL_SLA)).toBe('Non-critical');
    expect(impactLabel('major')).toBe('Major');
    expect(impactLabel('minor', { major: 'Semi-critical' })).toBe('Minor');
    expect(impactLabel('none', EMAIL_SLA)).toBe('No impact');
  });

  it('words the response targets with them', () => {
    expect(describeResponseTargets({ critical: 120, major: 240, minor: 480 }, 0.98, EMAIL_SLA)).toMatch(
      /^First public update within 2 h for critical, 4 h for semi-critical and 8 h for non-critical incidents,/,
    );
  });
});
