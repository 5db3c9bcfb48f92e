// The public /api/v2 documents of a Statuspage-compatible status page, as the importer reads
// them: the fields it uses, checked leniently (real pages leave out or null many of them), and
// fetched from a base URL.
import { z } from 'zod';

const text = z.string().nullish();
const time = z.string().nullish();

const affected = z.object({ code: z.string(), name: text, old_status: text, new_status: text });

const update = z.object({
  id: z.string(),
  status: z.string(),
  body: z.string().nullish().transform((b) => b ?? ''),
  created_at: z.string(),
  display_at: time,
  affected_components: z.array(affected).nullish(),
});

const componentRef = z.object({ id: z.string(), name: text });

const incident = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  impact: z.string().nullish(),
  created_at: z.string(),
  updated_at: time,
  started_at: time,
  monitoring_at: time,
  resolved_at: time,
  incident_updates: z.array(update).default([]),
  components: z.array(componentRef).nullish(),
  postmortem_body: text,
  postmortem_published_at: time,
});

const maintenance = incident.extend({ scheduled_for: z.string(), scheduled_until: z.string() });

const component = z.object({
  id: z.string(),
  name: z.string(),
  description: text,
  position: z.number().nullish(),
  group: z.boolean().nullish(),
  group_id: text,
  start_date: text,
  created_at: time,
});

export const statusPageDocuments = z.object({
  components: z.array(component),
  incidents: z.array(incident),
  scheduledMaintenances: z.array(maintenance),
});

export type StatusPageDocuments = z.output<typeof statusPageDocuments>;
export type ImportedComponent = z.output<typeof component>;
export type ImportedIncident = z.output<typeof incident>;
export type ImportedMaintenance = z.output<typeof maintenance>;
export type ImportedUpdate = z.output<typeof update>;

/** The page's base URL as typed ("https://status.example.com/", "…/api/v2") → "https://status.example.com". */
export function normaliseSource(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`Use an http(s) address, not ${parsed.protocol}`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '').replace(/\/api\/v2$/, '')}`;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status} ${res.statusText}`);
  try {
    return await res.json();
  } catch {
    throw new Error(`${url} did not answer with JSON`);
  }
}

/**
 * Reads components.json, incidents.json and scheduled-maintenances.json (summary.json only
 * confirms it is a status page). Throws with the document and field at fault.
 */
export async function fetchStatusPage(source: string): Promise<StatusPageDocuments> {
  const base = `${source}/api/v2`;
  const [summary, components, incidents, maintenances] = await Promise.all(
    ['summary.json', 'components.json', 'incidents.json', 'scheduled-maintenances.json'].map((doc) => getJson(`${base}/${doc}`)),
  );
  if (typeof summary !== 'object' || summary === null || !('page' in summary)) throw new Error(`${base}/summary.json has no "page": is this a status page?`);
  const parsed = statusPageDocuments.safeParse({
    components: (components as { components?: unknown })?.components,
    incidents: (incidents as { incidents?: unknown })?.incidents,
    scheduledMaintenances: (maintenances as { scheduled_maintenances?: unknown })?.scheduled_maintenances,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Unexpected document shape at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
