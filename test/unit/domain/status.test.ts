import { describe, expect, it } from 'vitest';
import {
  COMPONENT_STATUS_LABELS,
  deriveComponentStatus,
  deriveOverallStatus,
  describeImpactClass,
  IMPACT_LABELS,
  INCIDENT_STATUS_LABELS,
  isOpenAt,
  MAINTENANCE_STATUS_LABELS,
  statusSeverity,
  worstStatus,
  type ComponentStatus,
  type Indicator,
  type PeriodLike,
} from '../../../src/domain/status.ts';

const OP = 'operational';
const MNT = 'under_maintenance';
const DEG = 'degraded_performance';
const PAR = 'partial_outage';
const MAJ = 'major_outage';

describe('labels', () => {
  it('uses the friendly wording', () => {
    expect(COMPONENT_STATUS_LABELS).toEqual({
      operational: 'Operational',
      degraded_performance: 'Degraded performance',
      partial_outage: 'Partial outage',
      major_outage: 'Major outage',
      under_maintenance: 'Under maintenance',
    });
    expect(INCIDENT_STATUS_LABELS).toEqual({
      investigating: 'Investigating',
      identified: 'Identified',
      monitoring: 'Monitoring',
      resolved: 'Resolved',
    });
    expect(IMPACT_LABELS).toEqual({ none: 'No impact', minor: 'Minor', major: 'Major', critical: 'Critical' });
    expect(MAINTENANCE_STATUS_LABELS).toEqual({
      scheduled: 'Scheduled',
      in_progress: 'In progress',
      verifying: 'Verifying',
      completed: 'Completed',
      cancelled: 'Cancelled',
    });
  });
});

describe('statusSeverity and worstStatus', () => {
  it('orders operational < maintenance < degraded < partial < major', () => {
    expect(([OP, MNT, DEG, PAR, MAJ] as ComponentStatus[]).map((s) => statusSeverity(s))).toEqual([0, 1, 2, 3, 4]);
  });

  it.each<[ComponentStatus[], ComponentStatus]>([
    [[], OP],
    [[OP, OP], OP],
    [[MNT, OP], MNT],
    [[MNT, DEG], DEG],
    [[PAR, DEG, MNT], PAR],
    [[DEG, MAJ, PAR], MAJ],
  ])('worst of %j is %s', (statuses, expected) => {
    expect(worstStatus(statuses)).toBe(expected);
  });

  it('accepts any iterable', () => {
    expect(worstStatus(new Set<ComponentStatus>([DEG, PAR]))).toBe(PAR);
  });
});

describe('isOpenAt and deriveComponentStatus', () => {
  const now = 10_000;
  const closed: PeriodLike = { level: MAJ, startedAt: 1_000, endedAt: 5_000 };
  const open: PeriodLike = { level: DEG, startedAt: 2_000, endedAt: null };
  const future: PeriodLike = { level: MAJ, startedAt: 20_000, endedAt: null };
  const scheduledAhead: PeriodLike = { level: MNT, startedAt: 11_000, endedAt: 12_000 };
  const endsLater: PeriodLike = { level: PAR, startedAt: 9_000, endedAt: 15_000 };

  it.each<[string, PeriodLike, number, boolean]>([
    ['closed before now', closed, now, false],
    ['open since before now', open, now, true],
    ['starting exactly now', { level: MAJ, startedAt: now, endedAt: null }, now, true],
    ['ending exactly now (half-open)', { level: MAJ, startedAt: 0, endedAt: now }, now, false],
    ['starting in the future', future, now, false],
    ['ending in the future', endsLater, now, true],
  ])('%s → %s', (_name, period, at, expected) => {
    expect(isOpenAt(period, at)).toBe(expected);
  });

  it.each<[string, PeriodLike[], ComponentStatus]>([
    ['no periods', [], OP],
    ['only a closed period', [closed], OP],
    ['only future periods', [future, scheduledAhead], OP],
    ['one open period', [closed, open], DEG],
    ['worst of the open ones', [closed, open, endsLater, future], PAR],
  ])('%s → %s', (_name, periods, expected) => {
    expect(deriveComponentStatus(periods, now)).toBe(expected);
  });

  it('changes as time passes', () => {
    const periods = [open, scheduledAhead];
    expect(deriveComponentStatus(periods, 1_500)).toBe(OP);
    expect(deriveComponentStatus(periods, 11_500)).toBe(DEG);
    expect(deriveComponentStatus([scheduledAhead], 11_500)).toBe(MNT);
  });
});

describe('deriveOverallStatus (leaf components only; groups are the caller’s to exclude)', () => {
  it.each<[string, ComponentStatus[], Indicator, string]>([
    ['no components', [], 'none', 'All Systems Operational'],
    ['all operational', [OP, OP, OP], 'none', 'All Systems Operational'],
    ['every component major', [MAJ, MAJ], 'critical', 'Major System Outage'],
    ['one major among operational', [MAJ, OP, OP], 'major', 'Partial System Outage'],
    ['major with partial', [MAJ, PAR], 'major', 'Partial System Outage'],
    ['major with maintenance', [MAJ, MNT], 'major', 'Partial System Outage'],
    ['every component partial', [PAR, PAR, PAR], 'major', 'Partial System Outage'],
    ['some partial', [PAR, OP], 'minor', 'Minor Service Outage'],
    ['partial with degraded', [PAR, DEG], 'minor', 'Minor Service Outage'],
    ['partial with maintenance', [PAR, MNT], 'minor', 'Minor Service Outage'],
    ['every component degraded', [DEG, DEG, DEG], 'minor', 'Degraded System Service'],
    ['some degraded', [DEG, OP, OP], 'minor', 'Partially Degraded Service'],
    ['degraded with maintenance, none operational', [DEG, MNT], 'minor', 'Partially Degraded Service'],
    ['only maintenance, rest operational', [MNT, OP], 'maintenance', 'Service Under Maintenance'],
    ['every component under maintenance', [MNT, MNT], 'maintenance', 'Service Under Maintenance'],
  ])('%s', (_name, statuses, indicator, description) => {
    expect(deriveOverallStatus(statuses)).toEqual({ indicator, description });
  });

  it.each<[ComponentStatus, Indicator, string]>([
    [OP, 'none', 'All Systems Operational'],
    [MNT, 'maintenance', 'Service Under Maintenance'],
    [DEG, 'minor', 'Partially Degraded Service'],
    [PAR, 'major', 'Partial System Outage'],
    [MAJ, 'critical', 'Major System Outage'],
  ])('single component %s → %s "%s"', (status, indicator, description) => {
    expect(deriveOverallStatus([status])).toEqual({ indicator, description });
  });

  it('counts a group’s leaves, so a group with one broken child of two is not "every component"', () => {
    // Group "API" = {REST, GraphQL}; only REST is down. Leaves passed: REST, GraphQL, Website.
    expect(deriveOverallStatus([MAJ, OP, OP]).indicator).toBe('major');
    // Had the group been passed as well, the outcome would differ: the caller must not.
    expect(deriveOverallStatus([MAJ, MAJ])).toEqual({ indicator: 'critical', description: 'Major System Outage' });
  });
});

describe('describeImpactClass', () => {
  const contract = { name: 'Email SLA', classLabels: { critical: 'Critical', major: 'Semi-critical', minor: 'Non-critical' } };
  it("uses one shared contract name as the badge", () => {
    expect(describeImpactClass('major', [contract])).toEqual({ badge: 'Semi-critical impact', note: null });
    expect(describeImpactClass('minor', [contract, { name: 'Copy', classLabels: { minor: 'Non-critical' } }])).toEqual({ badge: 'Non-critical impact', note: null });
  });
  it('keeps the standard badge without a named class, and for no impact', () => {
    expect(describeImpactClass('major', [])).toEqual({ badge: 'Major impact', note: null });
    expect(describeImpactClass('major', [{ name: 'Plain', classLabels: {} }])).toEqual({ badge: 'Major impact', note: null });
    expect(describeImpactClass('none', [contract])).toEqual({ badge: 'No impact', note: null });
  });
  it('keeps the standard badge and names each policy when they differ or one names none', () => {
    expect(describeImpactClass('major', [contract, { name: 'Backup SLA', classLabels: { major: 'Priority 2' } }])).toEqual({
      badge: 'Major impact',
      note: 'Semi-critical under Email SLA; Priority 2 under Backup SLA',
    });
    expect(describeImpactClass('critical', [contract, { name: 'Plain', classLabels: {} }])).toEqual({ badge: 'Critical impact', note: 'Critical under Email SLA' });
  });
});
