// How long customers have waited for news. Status-page practice is a public update at least every
// 30 minutes while an incident is open; after that silence reads as "nobody is on it".
export const STALE_AFTER_MS = 30 * 60_000;

export interface Freshness {
  /** Time since the last public update. */
  sinceMs: number;
  /** Overdue for an update. */
  stale: boolean;
}

export function updateFreshness(lastPublicUpdateAt: number, now: number): Freshness {
  const sinceMs = Math.max(0, now - lastPublicUpdateAt);
  return { sinceMs, stale: sinceMs > STALE_AFTER_MS };
}
