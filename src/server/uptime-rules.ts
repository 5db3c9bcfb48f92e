// The uptime page's explanations: the SLA policies in force (in plain words, from their
// stored numbers) and the month's maintenance windows with why each was excused or not.
import { DEFAULT_WEIGHTS, type Interval } from '../domain/availability.ts';
import { formatPercent } from '../domain/format-number.ts';
import { describeCreditTiers, describeMaintenanceRule, describeResponseCreditTiers, describeWeights } from '../domain/sla-wording.ts';
import { IMPACT_LABELS, type ClassLabels, type MaintenanceStatus } from '../domain/status.ts';
import type { EvaluatedWindow } from './component-health.ts';
import { maintenanceRulesOf, type SlaPolicy } from './site.ts';

export interface PolicyInForce {
  /** null for the components no policy covers. */
  name: string | null;
  components: string[];
  target: string | null;
  /** Without a policy availability still uses the default weights. */
  weights: string[];
  maintenance: string;
  credits: string | null;
  /** Credits for missed response times, in plain words; null without a policy. */
  responseCredits: string | null;
  /** "Semi-critical (impact: major)" for each class the policy names. */
  classes: string[];
}

export interface MonthMaintenance {
  id: string;
  title: string;
  status: MaintenanceStatus;
  scheduledStart: number;
  scheduledEnd: number;
  components: { name: string; excused: boolean; problems: string[] }[];
}

/** One entry per distinct policy, in the order components first use it. */
export function describePolicies(components: { name: string; policy: SlaPolicy | null }[]): PolicyInForce[] {
  const byPolicy = new Map<number | null, { policy: SlaPolicy | null; names: string[] }>();
  for (const { name, policy } of components) {
    const key = policy?.id ?? null;
    const entry = byPolicy.get(key) ?? { policy, names: [] };
    entry.names.push(name);
    byPolicy.set(key, entry);
  }
  return [...byPolicy.values()].map(({ policy, names }) =>
    policy === null
      ? {
          name: null,
          components: names,
          target: null,
          weights: describeWeights(DEFAULT_WEIGHTS),
          maintenance: describeMaintenanceRule(maintenanceRulesOf(null), DEFAULT_WEIGHTS),
          credits: null,
          responseCredits: null,
          classes: [],
        }
      : {
          name: policy.name,
          components: names,
          target: formatPercent(policy.availabilityTarget),
          weights: describeWeights(policy.weights),
          maintenance: describeMaintenanceRule(maintenanceRulesOf(policy), policy.weights),
          credits: describeCreditTiers(policy.creditTiers),
          responseCredits: describeResponseCreditTiers(policy.responseCreditTiers),
          classes: describeClassLabels(policy.classLabels),
        },
  );
}

/** Windows scheduled to overlap the month (cancelled ones left out), oldest first. */
export function listMonthMaintenance(
  evaluations: Map<number, EvaluatedWindow[]>,
  components: { id: number; name: string }[],
  month: Interval,
): MonthMaintenance[] {
  const byId = new Map<string, MonthMaintenance>();
  for (const component of components) {
    for (const w of evaluations.get(component.id) ?? []) {
      if (w.status === 'cancelled' || w.scheduledStart >= month.end || w.scheduledEnd <= month.start) continue;
      const entry = byId.get(w.id) ?? {
        id: w.id,
        title: w.title,
        status: w.status,
        scheduledStart: w.scheduledStart,
        scheduledEnd: w.scheduledEnd,
        components: [],
      };
      entry.components.push({ name: component.name, excused: w.evaluation.excused, problems: w.evaluation.problems });
      byId.set(w.id, entry);
    }
  }
  return [...byId.values()].sort((a, b) => a.scheduledStart - b.scheduledStart);
}

/** "Semi-critical: what Candor calls a major incident." for each class the contract names. */
function describeClassLabels(classes: ClassLabels): string[] {
  return (['critical', 'major', 'minor'] as const).flatMap((impact) => {
    const label = classes[impact];
    return label && label !== IMPACT_LABELS[impact] ? [`${label}: what Candor calls ${IMPACT_LABELS[impact].toLowerCase()} impact.`] : [];
  });
}
