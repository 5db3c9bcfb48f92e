// A per-address limit on subscription requests, so the public form cannot be used to mail many
// inboxes from one place. Kept in memory: it guards one server process, and forgetting on restart
// only ever lets a few more requests through.
export const SUBSCRIBE_WINDOW_MS = 10 * 60 * 1000;
export const MAX_SUBSCRIBE_REQUESTS = 10;
const MAX_TRACKED = 10_000;

const seen = new Map<string, number[]>();

/** Records a request from `address` and says whether it is within the limit. */
export function allowSubscribeRequest(address: string, now: number): boolean {
  const recent = (seen.get(address) ?? []).filter((at) => now - at < SUBSCRIBE_WINDOW_MS);
  if (recent.length >= MAX_SUBSCRIBE_REQUESTS) {
    seen.set(address, recent);
    return false;
  }
  recent.push(now);
  if (!seen.has(address) && seen.size >= MAX_TRACKED) seen.delete(seen.keys().next().value!);
  seen.set(address, recent);
  return true;
}
