// The contract of the standard status API (docs/api.md, "Standard status API") as zod schemas: every field
// present, types and enums right, and no unknown fields (Candor's additions are listed, so
// removing or renaming a standard field — or adding one unnoticed — fails the contract).
import { z } from 'zod';

const isoMs = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO-8601 UTC with milliseconds');
const id = z.string().regex(/^[a-z0-9]+$/, 'lowercase alphanumeric id');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}, 'IANA time zone');

export const componentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);
export const incidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export const maintenanceStatus = z.enum(['scheduled', 'in_progress', 'verifying', 'completed']);

export const page = z.strictObject({
  id,
  name: z.string().min(1),
  url: z.url().refine((u) => !u.endsWith('/'), 'no trailing slash'),
  time_zone: timeZone,
  updated_at: isoMs,
});

export const status = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.enum([
    'All Systems Operational',
    'Major System Outage',
    'Partial System Outage',
    'Minor Service Outage',
    'Degraded System Service',
    'Partially Degraded Service',
    'Service Under Maintenance',
  ]),
});

const componentFields = {
  id,
  name: z.string().min(1),
  status: componentStatus,
  created_at: isoMs,
  updated_at: isoMs,
  position: z.number().int().min(1),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().regex(/^\d{4}-\d\d-\d\d$/).nullable(),
  group_id: id.nullable(),
  page_id: id,
  only_show_if_degraded: z.boolean(),
};

export const component = z.discriminatedUnion('group', [
  z.strictObject({ ...componentFields, group: z.literal(false) }),
  z.strictObject({ ...componentFields, group: z.literal(true), group_id: z.null(), components: z.array(id) }),
]);

const updateFields = {
  id,
  body: z.string(),
  incident_id: id,
  created_at: isoMs,
  updated_at: isoMs,
  display_at: isoMs,
  affected_components: z
    .array(z.strictObject({ code: id, name: z.string(), old_status: componentStatus, new_status: componentStatus }))
    .nullable(),
  deliver_notifications: z.boolean(),
  custom_tweet: z.string().nullable(),
  tweet_id: z.string().nullable(),
};

const eventFields = {
  id,
  name: z.string().min(1),
  created_at: isoMs,
  updated_at: isoMs,
  monitoring_at: isoMs.nullable(),
  resolved_at: isoMs.nullable(),
  shortlink: z.url(),
  started_at: isoMs,
  page_id: id,
  components: z.array(component),
};

export const incident = z.strictObject({
  ...eventFields,
  status: incidentStatus,
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  incident_updates: z.array(z.strictObject({ ...updateFields, status: incidentStatus })),
  // Candor's timeline additions.
  mitigated_at: isoMs.nullable(),
  impact_ended_at: isoMs.nullable(),
});

export const maintenance = z.strictObject({
  ...eventFields,
  status: maintenanceStatus,
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  incident_updates: z.array(z.strictObject({ ...updateFields, status: maintenanceStatus })),
  scheduled_for: isoMs,
  scheduled_until: isoMs,
  // Candor's addition: a cancelled window reads `completed` with cancelled = true.
  cancelled: z.boolean(),
});

const incidents = z.array(incident).max(50);
const maintenances = z.array(maintenance).max(50);

/** Each endpoint's document, by path under /api/v2/. */
export const DOCUMENTS = {
  'summary.json': z.strictObject({
    page,
    components: z.array(component),
    incidents,
    scheduled_maintenances: maintenances,
    status,
  }),
  'status.json': z.strictObject({ page, status }),
  'components.json': z.strictObject({ page, components: z.array(component) }),
  'incidents.json': z.strictObject({ page, incidents }),
  'incidents/unresolved.json': z.strictObject({ page, incidents }),
  'scheduled-maintenances.json': z.strictObject({ page, scheduled_maintenances: maintenances }),
  'scheduled-maintenances/upcoming.json': z.strictObject({ page, scheduled_maintenances: maintenances }),
  'scheduled-maintenances/active.json': z.strictObject({ page, scheduled_maintenances: maintenances }),
} as const;

export type ApiComponent = z.infer<typeof component>;
export type ApiIncident = z.infer<typeof incident>;
export type ApiMaintenance = z.infer<typeof maintenance>;
