// The page's headline: never better than the worst unresolved incident. The standard indicator
// (docs/api.md, "Standard status API") is derived from component levels only, so an incident whose components are
// not (or no longer) marked can leave it reading "Minor Service Outage" beside a critical
// incident. The headline takes the worse of the two, and says why when the incidents decide it.
import { IMPACT_LABELS, type IncidentImpact, type Indicator } from './status.ts';

export interface Headline {
  indicator: Indicator;
  description: string;
  /** Why the headline reads worse than the components alone, e.g. "1 critical incident in progress". */
  reason: string | null;
}

const INDICATOR_RANK: Record<Indicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 };
const IMPACT_RANK: Record<IncidentImpact, number> = { none: 0, minor: 1, major: 2, critical: 3 };

// An incident's impact maps to the indicator of the same name, and to the standard's wording of it.
const IMPACT_HEADLINE: Record<Exclude<IncidentImpact, 'none'>, { indicator: Indicator; description: string }> = {
  minor: { indicator: 'minor', description: 'Minor Service Outage' },
  major: { indicator: 'major', description: 'Partial System Outage' },
  critical: { indicator: 'critical', description: 'Major System Outage' },
};

export function impactRank(impact: IncidentImpact): number {
  return IMPACT_RANK[impact];
}

/** "1 critical incident in progress", "2 incidents in progress: 1 critical, 1 minor". */
export function describeIncidents(impacts: readonly IncidentImpact[]): string {
  const counts = new Map<IncidentImpact, number>();
  for (const impact of [...impacts].sort((a, b) => IMPACT_RANK[b] - IMPACT_RANK[a])) {
    counts.set(impact, (counts.get(impact) ?? 0) + 1);
  }
  const label = (impact: IncidentImpact) => (impact === 'none' ? 'no-impact' : IMPACT_LABELS[impact].toLowerCase());
  const plural = impacts.length === 1 ? 'incident' : 'incidents';
  if (counts.size === 1) return `${impacts.length} ${label(impacts[0]!)} ${plural} in progress`;
  const parts = [...counts].map(([impact, n]) => `${n} ${label(impact)}`);
  return `${impacts.length} ${plural} in progress: ${parts.join(', ')}`;
}

export function deriveHeadline(
  standard: { indicator: Indicator; description: string },
  unresolvedImpacts: readonly IncidentImpact[],
): Headline {
  const worst = unresolvedImpacts.reduce<IncidentImpact>((w, i) => (IMPACT_RANK[i] > IMPACT_RANK[w] ? i : w), 'none');
  if (worst === 'none') return { ...standard, reason: null };
  const fromIncidents = IMPACT_HEADLINE[worst];
  if (INDICATOR_RANK[fromIncidents.indicator] <= INDICATOR_RANK[standard.indicator]) return { ...standard, reason: null };
  return { ...fromIncidents, reason: describeIncidents(unresolvedImpacts) };
}

/** Active incidents, worst impact first, then the most recently started. */
export function compareActiveIncidents(
  a: { impact: IncidentImpact; startedAt: number },
  b: { impact: IncidentImpact; startedAt: number },
): number {
  return IMPACT_RANK[b.impact] - IMPACT_RANK[a.impact] || b.startedAt - a.startedAt;
}
