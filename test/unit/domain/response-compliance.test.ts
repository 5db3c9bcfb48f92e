import { describe, expect, it } from 'vitest';
import { computeResponseCompliance, type ResponseIncident } from '../../../src/domain/response-compliance.ts';
import type { IncidentImpact } from '../../../src/domain/status.ts';

const MIN = 60_000;
const NOW = Date.parse('2026-10-31T12:00:00Z');
const TARGETS = { critical: 120, major: 240, minor: 480 };
const T0 = Date.parse('2026-10-05T08:00:00Z');

let n = 0;
/** An incident (by default an hour after the previous one) whose first update came `minutes` after its start; null = none yet. */
function incident(impact: IncidentImpact, minutes: number | null, startedAt = T0 + n * 3_600_000): ResponseIncident {
  n++;
  return { id: `i${n}`, title: `Incident ${n}`, impact, startedAt, firstUpdateAt: minutes === null ? null : startedAt + minutes * MIN };
}

describe('computeResponseCompliance', () => {
  it('counts exactly-at-target as within, one minute over as late, and leaves out impact "none"', () => {
    const result = computeResponseCompliance({
      incidents: [
        incident('critical', 120), // exactly 2 h: within
        incident('critical', 121), // late
        incident('major', 240), // exactly 4 h: within
        incident('major', 241), // late
        incident('minor', 480), // exactly 8 h: within
        incident('none', 5000), // not counted at all
      ],
      targetMinutes: TARGETS,
      goal: 0.98,
      now: NOW,
    });
    expect(result.outcomes.map((o) => [o.impact, o.timeToFirstUpdateMs! / MIN, o.state])).toEqual([
      ['critical', 120, 'within'],
      ['critical', 121, 'late'],
      ['major', 240, 'within'],
      ['major', 241, 'late'],
      ['minor', 480, 'within'],
    ]);
    expect(result.byImpact).toEqual([
      { impact: 'critical', targetMs: 120 * MIN, counted: 2, within: 1, share: 0.5 },
      { impact: 'major', targetMs: 240 * MIN, counted: 2, within: 1, share: 0.5 },
      { impact: 'minor', targetMs: 480 * MIN, counted: 1, within: 1, share: 1 },
    ]);
    // 3 of 5 = 60% against a 98% goal.
    expect(result).toMatchObject({ counted: 5, within: 3, share: 0.6, goal: 0.98, met: false });
  });

  it('meets the goal when every incident is exactly at its target', () => {
    const result = computeResponseCompliance({
      incidents: [incident('critical', 120), incident('major', 240), incident('minor', 480)],
      targetMinutes: TARGETS,
      goal: 0.98,
      now: NOW,
    });
    expect(result).toMatchObject({ counted: 3, within: 3, share: 1, met: true });
  });

  it('meets a 98% goal with 49 of 50 within target (exactly at the goal)', () => {
    const incidents = [...Array.from({ length: 49 }, () => incident('minor', 30)), incident('minor', 481)];
    const result = computeResponseCompliance({ incidents, targetMinutes: TARGETS, goal: 0.98, now: NOW });
    expect(result).toMatchObject({ counted: 50, within: 49, share: 0.98, met: true });
  });

  it('waits for an incident without an update until its target passes, then counts it late', () => {
    const pending = incident('critical', null, NOW - 119 * MIN);
    const overdue = incident('critical', null, NOW - 121 * MIN);
    const result = computeResponseCompliance({ incidents: [pending, overdue], targetMinutes: TARGETS, goal: 0.98, now: NOW });
    expect(result.outcomes.map((o) => [o.incident.id, o.state, o.timeToFirstUpdateMs])).toEqual([
      [overdue.id, 'late', null],
      [pending.id, 'pending', null],
    ]);
    expect(result).toMatchObject({ counted: 1, within: 0, share: 0, met: false });
  });

  it('does not count impacts the policy sets no target for, and judges nothing without incidents', () => {
    const result = computeResponseCompliance({ incidents: [incident('minor', 600)], targetMinutes: { critical: 120 }, goal: 0.98, now: NOW });
    expect(result.outcomes[0]!.state).toBe('no-target');
    expect(result).toMatchObject({ counted: 0, share: null, met: null });
    expect(result.byImpact.find((r) => r.impact === 'minor')).toEqual({ impact: 'minor', targetMs: null, counted: 0, within: 0, share: null });
  });
});
