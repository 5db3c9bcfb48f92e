// Status vocabulary (identical to the de-facto standard) and the rules that derive statuses.

// Every word of the domain is listed once here, `as const`; the database enums (db/schema.ts),
// the zod enums of the commands, the type aliases and every label map derive from these lists.

export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** The levels an impact period can have (a component's status other than operational). */
export const IMPACT_LEVELS = ['degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ImpactLevel = (typeof IMPACT_LEVELS)[number];

/** The levels an incident may put a component at (maintenance has its own records). */
export const INCIDENT_LEVELS = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];

export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** Every status but resolved: an incident in one of these is open. */
export const OPEN_INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

/** What an incident update is: a plain update, or an apology or correction labelled as such. */
export const UPDATE_KINDS = ['update', 'apology', 'correction'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed', 'cancelled'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];
/** Announced and not yet over. */
export const ACTIVE_MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying'] as const;

export const STAFF_ROLES = ['owner', 'editor', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const COMPONENT_STATUS_LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

export const IMPACT_LABELS: Record<IncidentImpact, string> = {
  none: 'No impact',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical',
};

/** The badge an update carries; a plain update carries none. */
export const UPDATE_KIND_LABELS: Record<UpdateKind, string | null> = {
  update: null,
  apology: 'Apology',
  correction: 'Correction',
};

/**
 * An SLA may name the fault classes in its own words ("semi-critical" for major). Labels only:
 * the impact stays the data, and impacts a contract does not name keep their usual label.
 */
export type ClassLabels = Partial<Record<Exclude<IncidentImpact, 'none'>, string>>;

export function impactLabel(impact: IncidentImpact, classes: ClassLabels = {}): string {
  return (impact === 'none' ? undefined : classes[impact]) ?? IMPACT_LABELS[impact];
}

/** "Critical impact", and for `none` just "No impact" (not "No impact impact"). */
export function impactBadgeLabel(impact: IncidentImpact, classes: ClassLabels = {}): string {
  return impact === 'none' ? IMPACT_LABELS.none : `${impactLabel(impact, classes)} impact`;
}

/** A contract's own name for an incident's impact, and the policies that use it. */
export interface ImpactNaming {
  label: string;
  policies: string[];
}

/**
 * How an incident's impact reads under the SLA policies covering its components: one shared
 * contract name becomes the badge ("Semi-critical impact"); several names (or some components
 * under a policy that names none) keep the standard badge, and the note says what each policy
 * calls it. The impact itself stays the data.
 */
export function describeImpactClass(
  impact: IncidentImpact,
  covering: readonly { name: string; classLabels: ClassLabels }[],
): { badge: string; note: string | null } {
  const standard = impactBadgeLabel(impact);
  if (impact === 'none' || covering.length === 0) return { badge: standard, note: null };
  const namings: ImpactNaming[] = [];
  let unnamed = false;
  for (const policy of covering) {
    const label = policy.classLabels[impact]?.trim();
    if (!label) {
      unnamed = true;
      continue;
    }
    const naming = namings.find((n) => n.label === label);
    if (naming) {
      if (!naming.policies.includes(policy.name)) naming.policies.push(policy.name);
    } else namings.push({ label, policies: [policy.name] });
  }
  if (namings.length === 0) return { badge: standard, note: null };
  if (namings.length === 1 && !unnamed) return { badge: impactBadgeLabel(impact, { [impact]: namings[0]!.label }), note: null };
  return { badge: standard, note: namings.map((n) => `${n.label} under ${n.policies.join(', ')}`).join('; ') };
}

export const MAINTENANCE_STATUS_LABELS: Record<MaintenanceStatus, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/**
 * How an incident names the moment service was restored on our side (`mitigated_at`). "Failover"
 * is jargon to most customers: it is only used for an incident that really was a failover.
 */
export type MitigationWording = 'fix' | 'failover';
export const MITIGATION_WORDINGS = ['fix', 'failover'] as const satisfies readonly MitigationWording[];

export const MITIGATION_WORDS: Record<
  MitigationWording,
  {
    /** Staff's choice, as offered on the incident form. */
    choice: string;
    /** The moment: "Fixed on our side" / "Failover complete". */
    moment: string;
    /** The duration until then. */
    duration: string;
    /** On a card: "<label>: <strong>value</strong>". */
    label: string;
    /** While not yet done. */
    pending: string;
    /** "Customers remained affected for 2 d after …". */
    after: string;
  }
> = {
  fix: {
    choice: 'Fixed on our side (plain words)',
    moment: 'Fixed on our side',
    duration: 'Time to fix on our side',
    label: 'Fixed on our side',
    pending: 'not yet',
    after: 'the fix on our side',
  },
  failover: {
    choice: 'Failover (the incident was a failover)',
    moment: 'Failover complete',
    duration: 'Failover duration',
    label: 'Failover',
    pending: 'not complete yet',
    after: 'failover completed',
  },
};

// Planned maintenance is less severe than any unplanned degradation.
const SEVERITY: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

export function statusSeverity(s: ComponentStatus): number {
  return SEVERITY[s];
}

export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

/** One stretch of a component at an impact level; `endedAt` null while still open. */
export interface PeriodLike {
  level: ImpactLevel;
  startedAt: number;
  endedAt: number | null;
}

export function isOpenAt(p: PeriodLike, now: number): boolean {
  return p.startedAt <= now && (p.endedAt === null || p.endedAt > now);
}

/** There is no free-floating status: a component is as bad as its worst open period. */
export function deriveComponentStatus(periods: readonly PeriodLike[], now: number): ComponentStatus {
  return worstStatus(periods.filter((p) => isOpenAt(p, now)).map((p) => p.level));
}

/**
 * The page-wide banner, from leaf component statuses only (a group must not count twice).
 * Rules and strings follow docs/api.md ("page and status"); consumers compare them literally.
 */
export function deriveOverallStatus(
  statuses: readonly ComponentStatus[],
): { indicator: Indicator; description: string } {
  const count = (s: ComponentStatus) => statuses.filter((x) => x === s).length;
  const total = statuses.length;
  const major = count('major_outage');
  const partial = count('partial_outage');
  const degraded = count('degraded_performance');

  if (total > 0 && major === total) return { indicator: 'critical', description: 'Major System Outage' };
  if (major > 0 || (total > 0 && partial === total)) {
    return { indicator: 'major', description: 'Partial System Outage' };
  }
  if (partial > 0) return { indicator: 'minor', description: 'Minor Service Outage' };
  // A lone degraded component reads "Partially Degraded Service", as the original answers.
  if (total > 1 && degraded === total) return { indicator: 'minor', description: 'Degraded System Service' };
  if (degraded > 0) return { indicator: 'minor', description: 'Partially Degraded Service' };
  if (count('under_maintenance') > 0) {
    return { indicator: 'maintenance', description: 'Service Under Maintenance' };
  }
  return { indicator: 'none', description: 'All Systems Operational' };
}
