import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  checkClosingAt,
  checkIncidentMoments,
  checkMaintenanceWindow,
  checkPeriods,
  explainImpactEndMismatch,
  explainResolveBlocked,
  impactEndOf,
  type PeriodDraft,
} from '../../../src/domain/timeline-rules.ts';

const H = 3_600_000;
const now = Date.UTC(2026, 5, 10, 12, 0);
const t = now - 10 * H;
const period = (component: string, startedAt: number, endedAt: number | null, level = 'major_outage'): PeriodDraft => ({
  component,
  level,
  startedAt,
  endedAt,
});

describe('checkIncidentMoments', () => {
  it('accepts a possible timeline', () => {
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: t + H, impactEndedAt: t + 5 * H }, now)).toEqual({});
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: null, impactEndedAt: null }, now)).toEqual({});
    // Failover and the last customer back at the same moment is fine.
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: t + H, impactEndedAt: t + H }, now)).toEqual({});
  });

  it('allows a small clock skew but not the future', () => {
    expect(checkIncidentMoments({ startedAt: now + CLOCK_SKEW_MS, mitigatedAt: null, impactEndedAt: null }, now)).toEqual({});
    expect(checkIncidentMoments({ startedAt: now + CLOCK_SKEW_MS + 1, mitigatedAt: null, impactEndedAt: null }, now)).toEqual({
      startedAt: expect.stringContaining('in the future'),
    });
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: now + H, impactEndedAt: null }, now)).toEqual({
      mitigatedAt: expect.stringContaining('in the future'),
    });
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: null, impactEndedAt: now + H }, now)).toEqual({
      impactEndedAt: expect.stringContaining('in the future'),
    });
  });

  it('refuses mitigation before the start', () => {
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: t - 1, impactEndedAt: null }, now)).toEqual({
      mitigatedAt: 'Failover/mitigation cannot complete before the incident started. Check both times.',
    });
  });

  it('refuses impact ending before it started', () => {
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: null, impactEndedAt: t - H }, now)).toEqual({
      impactEndedAt: 'Customer impact cannot end before it started. Check both times.',
    });
  });

  it('refuses customers restored before our side was', () => {
    expect(checkIncidentMoments({ startedAt: t, mitigatedAt: t + 2 * H, impactEndedAt: t + H }, now)).toEqual({
      impactEndedAt: expect.stringContaining('at or after failover/mitigation completed'),
    });
  });
});

describe('checkPeriods', () => {
  it('accepts periods that touch', () => {
    expect(checkPeriods([period('SMTP relay', t, t + H), period('SMTP relay', t + H, null, 'partial_outage')], t, now)).toEqual({});
  });

  it('refuses a period before the incident started', () => {
    expect(checkPeriods([period('Send API', t - H, t)], t, now)).toEqual({
      'periods.0.startedAt': 'Send API cannot be affected before the incident started. Move this period later or the incident start earlier.',
    });
  });

  it('refuses a period ending before it starts, or in the future', () => {
    expect(checkPeriods([period('Webhooks', t + 2 * H, t + H), period('Webhooks', t + 3 * H, now + H)], t, now)).toEqual({
      'periods.0.endedAt': 'This period of Webhooks ends before it starts. Check both times.',
      'periods.1.endedAt': expect.stringContaining('ends in the future'),
    });
  });

  it('refuses overlapping periods of one component, and names the other row', () => {
    const problems = checkPeriods([period('Inbound email', t, t + 2 * H), period('Inbound email', t + H, null)], t, now);
    expect(problems['periods.0.startedAt']).toContain('overlaps another one (row 2)');
    expect(problems['periods.1.startedAt']).toContain('overlaps another one (row 1)');
  });

  it('lets different components overlap', () => {
    expect(checkPeriods([period('A', t, null), period('B', t, null)], t, now)).toEqual({});
  });
});

describe('impact end and the periods', () => {
  it('is the latest period end, null while any is open, undefined without periods', () => {
    expect(impactEndOf([period('A', t, t + H), period('B', t, t + 3 * H)])).toBe(t + 3 * H);
    expect(impactEndOf([period('A', t, t + H), period('B', t, null)])).toBeNull();
    expect(impactEndOf([])).toBeUndefined();
  });

  it('explains a mismatch', () => {
    const periods = [period('A', t, t + H), period('B', t, t + 3 * H)];
    expect(explainImpactEndMismatch(t + 3 * H, periods)).toBeNull();
    expect(explainImpactEndMismatch(t + H, periods)).toContain('latest end of the periods');
    expect(explainImpactEndMismatch(t + H, [period('A', t, null), period('B', t, null)])).toBe(
      'Customer impact cannot have ended while A and B are still marked as affected. End those periods, or leave this empty.',
    );
    expect(explainImpactEndMismatch(t + H, [])).toBeNull();
  });
});

describe('explainResolveBlocked', () => {
  it('names every component still affected, once', () => {
    expect(explainResolveBlocked([period('A', t, t + H)])).toBeNull();
    expect(
      explainResolveBlocked([period('SMTP relay', t, t + H), period('SMTP relay', t + H, null), period('Send API', t, null), period('Webhooks', t, null)]),
    ).toBe(
      'Customers are still marked as affected on SMTP relay, Send API and Webhooks: mark them restored first (tick "All customers restored" in an update, or set each to Operational), then resolve.',
    );
  });
});

describe('checkClosingAt', () => {
  it('refuses restoring customers before a period began, or in the future', () => {
    const periods = [period('A', t, null), period('B', t + 2 * H, null)];
    expect(checkClosingAt(periods, t + 3 * H, now)).toBeNull();
    expect(checkClosingAt(periods, t + H, now)).toBe('B only became affected at this level after that time, so customers cannot have been restored then.');
    expect(checkClosingAt(periods, now + H, now)).toContain('in the future');
  });
});

describe('checkMaintenanceWindow', () => {
  it('wants an end after the start, not in the past', () => {
    expect(checkMaintenanceWindow(now + H, now + 2 * H, now)).toEqual({});
    expect(checkMaintenanceWindow(now - H, now + H, now)).toEqual({});
    expect(checkMaintenanceWindow(now + H, now + H, now)).toEqual({ scheduledEnd: 'The window must end after it starts.' });
    expect(checkMaintenanceWindow(now - 3 * H, now - 2 * H, now).scheduledEnd).toContain('already ended');
  });
});
