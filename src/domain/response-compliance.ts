// Response-time compliance for a month: did each incident's first public update come within
// the target for its impact, and what share of incidents did?
import { creditTierFor, isBelow, type CreditTier } from './credit.ts';
import type { IncidentImpact } from './status.ts';

/** Impacts that carry a response target; impact "none" is a notice, not a fault. */
export type TargetedImpact = 'critical' | 'major' | 'minor';
export const TARGETED_IMPACTS: readonly TargetedImpact[] = ['critical', 'major', 'minor'];

export interface ResponseIncident {
  id: string;
  title: string;
  impact: IncidentImpact;
  startedAt: number;
  firstUpdateAt: number | null;
  /** When monitoring detected it (incidents opened from an alert); null otherwise. */
  detectedAt?: number | null;
}

/**
 * within: first update at or before the target. late: after it, or no update and the target
 * has passed. pending: no update yet, target not reached — not counted until it is decided.
 * no-target: the policy sets no target for this impact — not counted.
 */
export type ResponseState = 'within' | 'late' | 'pending' | 'no-target';

export interface ResponseOutcome {
  incident: ResponseIncident;
  impact: TargetedImpact;
  targetMs: number | null;
  /** null while no public update has been posted. */
  timeToFirstUpdateMs: number | null;
  state: ResponseState;
}

export interface ImpactCompliance {
  impact: TargetedImpact;
  targetMs: number | null;
  /** Incidents counted: within + late. */
  counted: number;
  within: number;
  share: number | null;
}

export interface ResponseCompliance {
  outcomes: ResponseOutcome[];
  byImpact: ImpactCompliance[];
  counted: number;
  within: number;
  /** null when no incident was counted. */
  share: number | null;
  goal: number;
  /** null when nothing was counted: there was nothing to answer. */
  met: boolean | null;
  /** The response-time credit tier reached by the month's share; null = none owed. */
  credit: CreditTier | null;
}

export interface ResponseComplianceInput {
  incidents: readonly ResponseIncident[];
  /** Minutes to first public update per impact. */
  targetMinutes: Partial<Record<TargetedImpact, number>>;
  /** Share of counted incidents that must be within target, e.g. 0.98. */
  goal: number;
  /** Credit when the share is strictly below a tier's `below`; the largest tier reached applies. */
  creditTiers?: readonly CreditTier[];
  now: number;
}

const MINUTE = 60_000;

function outcomeOf(incident: ResponseIncident & { impact: TargetedImpact }, targetMs: number | null, now: number): ResponseOutcome {
  const timeToFirstUpdateMs = incident.firstUpdateAt === null ? null : Math.max(0, incident.firstUpdateAt - incident.startedAt);
  let state: ResponseState;
  if (targetMs === null) state = 'no-target';
  else if (timeToFirstUpdateMs !== null) state = timeToFirstUpdateMs <= targetMs ? 'within' : 'late';
  else state = now - incident.startedAt > targetMs ? 'late' : 'pending';
  return { incident, impact: incident.impact, targetMs, timeToFirstUpdateMs, state };
}

export function computeResponseCompliance(input: ResponseComplianceInput): ResponseCompliance {
  const targetMsOf = (impact: TargetedImpact) => {
    const minutes = input.targetMinutes[impact];
    return typeof minutes === 'number' && minutes >= 0 ? minutes * MINUTE : null;
  };
  const outcomes = input.incidents
    .filter((i): i is ResponseIncident & { impact: TargetedImpact } => i.impact !== 'none')
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((i) => outcomeOf(i, targetMsOf(i.impact), input.now));
  const tally = (list: ResponseOutcome[]) => {
    const within = list.filter((o) => o.state === 'within').length;
    const counted = within + list.filter((o) => o.state === 'late').length;
    return { counted, within, share: counted === 0 ? null : within / counted };
  };
  const byImpact = TARGETED_IMPACTS.map((impact) => ({
    impact,
    targetMs: targetMsOf(impact),
    ...tally(outcomes.filter((o) => o.impact === impact)),
  }));
  const total = tally(outcomes);
  return {
    outcomes,
    byImpact,
    ...total,
    goal: input.goal,
    met: total.share === null ? null : !isBelow(total.share, input.goal),
    credit: creditTierFor(total.share, input.creditTiers ?? []),
  };
}
