// Which incident and maintenance timelines are possible. Each rule answers with a plain-English
// explanation keyed by the field at fault, so staff see what to fix beside what they typed.

/** Staff clocks and the server's drift a little; "now" on a laptop may be a minute ahead. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/** Field name → what is wrong with it. Empty when the timeline is possible. */
export type TimelineProblems = Record<string, string>;

export interface IncidentMoments {
  startedAt: number;
  mitigatedAt: number | null;
  impactEndedAt: number | null;
}

/** One component at one level over [startedAt, endedAt); `endedAt` null while still affected. */
export interface PeriodDraft {
  /** The component's name, for messages. */
  component: string;
  level: string;
  startedAt: number;
  endedAt: number | null;
}

const inFuture = (at: number, now: number) => at > now + CLOCK_SKEW_MS;

export function checkIncidentMoments(m: IncidentMoments, now: number): TimelineProblems {
  const problems: TimelineProblems = {};
  if (inFuture(m.startedAt, now)) {
    problems.startedAt = 'The start is in the future. Enter when customers began to be affected, which has already happened.';
  }
  if (m.mitigatedAt !== null) {
    if (m.mitigatedAt < m.startedAt) {
      problems.mitigatedAt = 'Failover/mitigation cannot complete before the incident started. Check both times.';
    } else if (inFuture(m.mitigatedAt, now)) {
      problems.mitigatedAt = 'Failover/mitigation complete is in the future. Mark it only once it has happened.';
    }
  }
  if (m.impactEndedAt !== null) {
    if (m.impactEndedAt < m.startedAt) {
      problems.impactEndedAt = 'Customer impact cannot end before it started. Check both times.';
    } else if (inFuture(m.impactEndedAt, now)) {
      problems.impactEndedAt = 'Customer impact ended is in the future. Mark it only once the last customer is back to normal.';
    } else if (m.mitigatedAt !== null && m.impactEndedAt < m.mitigatedAt && !problems.mitigatedAt) {
      problems.impactEndedAt =
        'Customers cannot all be back to normal before service was restored on our side: customer impact must end at or after failover/mitigation completed.';
    }
  }
  return problems;
}

/**
 * Periods of one incident, keyed `periods.<index>.<field>`. A component has one level at a time
 * within an incident, so its periods may touch but not overlap.
 */
export function checkPeriods(periods: readonly PeriodDraft[], incidentStartedAt: number, now: number): TimelineProblems {
  const problems: TimelineProblems = {};
  periods.forEach((p, i) => {
    const key = `periods.${i}`;
    if (p.startedAt < incidentStartedAt) {
      problems[`${key}.startedAt`] =
        `${p.component} cannot be affected before the incident started. Move this period later or the incident start earlier.`;
    } else if (inFuture(p.startedAt, now)) {
      problems[`${key}.startedAt`] = `This period of ${p.component} starts in the future.`;
    }
    if (p.endedAt !== null) {
      if (p.endedAt < p.startedAt) {
        problems[`${key}.endedAt`] = `This period of ${p.component} ends before it starts. Check both times.`;
      } else if (inFuture(p.endedAt, now)) {
        problems[`${key}.endedAt`] = `This period of ${p.component} ends in the future. Leave the end empty while customers are still affected.`;
      }
    }
  });
  periods.forEach((p, i) => {
    const clash = periods.findIndex((q, j) => j !== i && q.component === p.component && overlaps(p, q));
    if (clash !== -1 && !problems[`periods.${i}.startedAt`]) {
      problems[`periods.${i}.startedAt`] =
        `This period of ${p.component} overlaps another one (row ${clash + 1}). A component has one level at a time: end one where the next begins.`;
    }
  });
  return problems;
}

function overlaps(a: PeriodDraft, b: PeriodDraft): boolean {
  const aEnd = a.endedAt ?? Infinity;
  const bEnd = b.endedAt ?? Infinity;
  return a.startedAt < bEnd && b.startedAt < aEnd;
}

/**
 * Customer impact ends at the latest end of the periods: null while any is open, undefined when
 * there are no periods (then the incident's own moment stands alone).
 */
export function impactEndOf(periods: readonly PeriodDraft[]): number | null | undefined {
  if (periods.length === 0) return undefined;
  if (periods.some((p) => p.endedAt === null)) return null;
  return Math.max(...periods.map((p) => p.endedAt as number));
}

/** Why `impactEndedAt` disagrees with the periods, or null when they agree. */
export function explainImpactEndMismatch(impactEndedAt: number | null, periods: readonly PeriodDraft[]): string | null {
  const derived = impactEndOf(periods);
  if (derived === undefined || derived === impactEndedAt) return null;
  if (derived === null) {
    return `Customer impact cannot have ended while ${listNames(openComponents(periods))} ${openComponents(periods).length === 1 ? 'is' : 'are'} still marked as affected. End those periods, or leave this empty.`;
  }
  return 'Customer impact ends when the last affected component recovered: this must equal the latest end of the periods below (leave it empty to use that).';
}

/** Names of components with an open period, each once, in order. */
export function openComponents(periods: readonly PeriodDraft[]): string[] {
  return [...new Set(periods.filter((p) => p.endedAt === null).map((p) => p.component))];
}

/** The explanation when resolving is refused, or null when nothing is still affected. */
export function explainResolveBlocked(periods: readonly PeriodDraft[]): string | null {
  const open = openComponents(periods);
  if (open.length === 0) return null;
  return `Customers are still marked as affected on ${listNames(open)}: mark them restored first (tick "All customers restored" in an update, or set each to Operational), then resolve.`;
}

/** Closing open periods at `at`: refused when a period only began after that moment. */
export function checkClosingAt(periods: readonly PeriodDraft[], at: number, now: number): string | null {
  if (inFuture(at, now)) return 'This time is in the future. Mark customers restored only once they are.';
  const later = periods.filter((p) => p.endedAt === null && p.startedAt > at).map((p) => p.component);
  if (later.length > 0) {
    return `${listNames([...new Set(later)])} only became affected at this level after that time, so customers cannot have been restored then.`;
  }
  return null;
}

export function checkMaintenanceWindow(start: number, end: number, now: number): TimelineProblems {
  if (end <= start) return { scheduledEnd: 'The window must end after it starts.' };
  if (end < now) return { scheduledEnd: 'This window has already ended. Schedule maintenance that is still to come or under way.' };
  return {};
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
