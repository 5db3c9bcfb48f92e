// What a notification says about an incident's two durations, in plain words. Pure.
import { formatDurationLong, type TimelineDurations } from './durations.ts';

/**
 * Both numbers, each saying what it measures: how long failover took us, and how long customers
 * were (or so far have been) affected. Before failover the first line says it is not done yet.
 */
export function describeDurations(d: TimelineDurations, mitigated: boolean): string[] {
  const failover = mitigated
    ? `Failover/mitigation took ${formatDurationLong(d.failover.ms)}.`
    : `Failover/mitigation is not complete yet (${formatDurationLong(d.failover.ms)} so far).`;
  const impact = d.customerImpact.ongoing
    ? `Customers have been affected for ${formatDurationLong(d.customerImpact.ms)} so far.`
    : `Customers were affected for ${formatDurationLong(d.customerImpact.ms)} in total.`;
  const lines = [failover, impact];
  if (d.impactAfterFailover && d.impactAfterFailover.ms >= 60_000) {
    lines.push(
      d.impactAfterFailover.ongoing
        ? `Customers are still affected ${formatDurationLong(d.impactAfterFailover.ms)} after failover completed.`
        : `Customers remained affected for ${formatDurationLong(d.impactAfterFailover.ms)} after failover completed.`,
    );
  }
  return lines;
}
