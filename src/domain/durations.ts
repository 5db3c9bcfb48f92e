// Incident timeline durations: failover and customer impact are different numbers, always.

export interface TimelineMoments {
  startedAt: number;
  mitigatedAt: number | null;
  impactEndedAt: number | null;
  resolvedAt: number | null;
  firstUpdateAt: number | null;
}

/** A length of time; `ongoing` means it runs up to now and is still growing. */
export interface Span {
  ms: number;
  ongoing: boolean;
}

export interface TimelineDurations {
  failover: Span;
  customerImpact: Span;
  impactAfterFailover: Span | null;
  timeToFirstUpdate: number | null;
}

function spanBetween(from: number, to: number | null, now: number): Span {
  return { ms: Math.max(0, (to ?? now) - from), ongoing: to === null };
}

/** A resolved incident never keeps counting: a missing moment falls back to its resolution. */
export function computeDurations(t: TimelineMoments, now: number): TimelineDurations {
  const mitigated = t.mitigatedAt ?? t.resolvedAt;
  const impactEnded = t.impactEndedAt ?? t.resolvedAt;
  return {
    failover: spanBetween(t.startedAt, mitigated, now),
    customerImpact: spanBetween(t.startedAt, impactEnded, now),
    impactAfterFailover: t.mitigatedAt === null ? null : spanBetween(t.mitigatedAt, impactEnded, now),
    timeToFirstUpdate: t.firstUpdateAt === null ? null : Math.max(0, t.firstUpdateAt - t.startedAt),
  };
}

const MINUTE = 60_000;
const onTheMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/**
 * The durations as the words show them. Each moment is taken on its minute, as the clock times
 * beside it read ("14:02"), so the shown figures agree with those times and add up: failover plus
 * "after failover" is the customer impact, never "1 min" + "less than a minute" = "2 min".
 * The exact milliseconds (`computeDurations`) stay in the JSON, uptime and credits.
 */
export function computeShownDurations(t: TimelineMoments, now: number): TimelineDurations {
  const m = (at: number | null) => (at === null ? null : onTheMinute(at));
  return computeDurations(
    {
      startedAt: onTheMinute(t.startedAt),
      mitigatedAt: m(t.mitigatedAt),
      impactEndedAt: m(t.impactEndedAt),
      resolvedAt: m(t.resolvedAt),
      firstUpdateAt: m(t.firstUpdateAt),
    },
    onTheMinute(now),
  );
}

const UNITS = [
  { ms: 1440 * MINUTE, short: 'd', long: 'day' },
  { ms: 60 * MINUTE, short: 'h', long: 'hour' },
  { ms: MINUTE, short: 'min', long: 'minute' },
] as const;

/** The two most significant units, largest first, rounded down to the minute. */
function splitUnits(ms: number): { value: number; short: string; long: string }[] {
  let rest = Math.floor(Math.max(0, ms) / MINUTE) * MINUTE;
  const parts = UNITS.map((u) => {
    const value = Math.floor(rest / u.ms);
    rest -= value * u.ms;
    return { value, short: u.short, long: u.long };
  });
  const first = parts.findIndex((p) => p.value > 0);
  if (first === -1) return [];
  return parts.slice(first, first + 2).filter((p) => p.value > 0);
}

export function formatDuration(ms: number): string {
  const parts = splitUnits(ms);
  if (parts.length === 0) return '< 1 min';
  return parts.map((p) => `${p.value} ${p.short}`).join(' ');
}

export function formatDurationLong(ms: number): string {
  const parts = splitUnits(ms);
  if (parts.length === 0) return 'less than a minute';
  return parts.map((p) => `${p.value} ${p.long}${p.value === 1 ? '' : 's'}`).join(' ');
}
