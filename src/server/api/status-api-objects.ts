// The de-facto standard status API objects (docs/api.md, "Standard status API"), from Candor's read models.
// Pure: every field always present, null where unknown, ISO-8601 timestamps with milliseconds.
import { deriveOverallStatus, worstStatus, type ComponentStatus, type Indicator } from '../../domain/status.ts';
import type { IncidentSummary, UpdateView } from '../incidents.ts';
import type { MaintenanceSummary } from '../maintenance.ts';
import type { Site } from '../site.ts';

export interface ApiPage {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

export interface ApiStatus {
  indicator: Indicator;
  description: string;
}

export interface ApiComponent {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  /** Child ids; present on groups only. */
  components?: string[];
}

export interface ApiUpdate {
  id: string;
  status: string;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: { code: string; name: string; old_status: string; new_status: string }[] | null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
}

export interface ApiIncident {
  id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: string;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: ApiUpdate[];
  components: ApiComponent[];
  // Candor's timeline, beside the standard fields.
  mitigated_at: string | null;
  impact_ended_at: string | null;
}

export interface ApiMaintenance extends Omit<ApiIncident, 'mitigated_at' | 'impact_ended_at'> {
  scheduled_for: string;
  scheduled_until: string;
  /** Candor extra: the window was called off (its status reads `completed`, see below). */
  cancelled: boolean;
}

/** A component row with what the standard object needs beyond the health read model. */
export interface ComponentRecord {
  id: number;
  publicId: string;
  name: string;
  description: string | null;
  status: ComponentStatus;
  groupId: number | null;
  position: number;
  startDate: string | null;
  showcase: boolean;
  onlyShowIfDegraded: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface GroupRecord {
  id: number;
  publicId: string;
  name: string;
  description: string | null;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export function serialisePage(site: Site, lastChangeAt: number): ApiPage {
  return { id: site.publicId, name: site.name, url: site.url, time_zone: site.timeZone, updated_at: iso(lastChangeAt) };
}

/** The overall indicator from leaf components only: a group must not count twice. */
export function serialiseStatus(components: readonly ComponentRecord[]): ApiStatus {
  return deriveOverallStatus(components.map((c) => c.status));
}

const byPosition = <T extends { position: number; id: number }>(a: T, b: T) => a.position - b.position || a.id - b.id;

/**
 * The flat component list: top-level members (groups and ungrouped components, interleaved by
 * position) each followed by a group's children. Groups are ordinary members with `group: true`;
 * `position` is the 1-based rank among siblings.
 */
export function serialiseComponents(groups: readonly GroupRecord[], components: readonly ComponentRecord[], pageId: string): ApiComponent[] {
  const groupIds = new Set(groups.map((g) => g.id));
  const childrenOf = (groupId: number) => components.filter((c) => c.groupId === groupId).sort(byPosition);
  const topLevel = [
    ...groups.map((g) => ({ kind: 'group' as const, position: g.position, id: g.id, group: g })),
    ...components
      .filter((c) => c.groupId === null || !groupIds.has(c.groupId))
      .map((c) => ({ kind: 'component' as const, position: c.position, id: c.id, component: c })),
  ].sort((a, b) => a.position - b.position || (a.kind === b.kind ? a.id - b.id : a.kind === 'group' ? -1 : 1));

  const out: ApiComponent[] = [];
  topLevel.forEach((entry, index) => {
    if (entry.kind === 'component') {
      out.push(serialiseComponent(entry.component, index + 1, null, pageId));
      return;
    }
    const children = childrenOf(entry.group.id);
    out.push(serialiseGroup(entry.group, children, index + 1, pageId));
    children.forEach((child, i) => out.push(serialiseComponent(child, i + 1, entry.group.publicId, pageId)));
  });
  return out;
}

function serialiseComponent(c: ComponentRecord, position: number, groupPublicId: string | null, pageId: string): ApiComponent {
  return {
    id: c.publicId,
    name: c.name,
    status: c.status,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    position,
    description: c.description,
    showcase: c.showcase,
    start_date: c.startDate,
    group_id: groupPublicId,
    page_id: pageId,
    group: false,
    only_show_if_degraded: c.onlyShowIfDegraded,
  };
}

function serialiseGroup(g: GroupRecord, children: readonly ComponentRecord[], position: number, pageId: string): ApiComponent {
  return {
    id: g.publicId,
    name: g.name,
    status: worstStatus(children.map((c) => c.status)),
    created_at: iso(g.createdAt),
    updated_at: iso(Math.max(g.updatedAt, ...children.map((c) => c.updatedAt))),
    position,
    description: g.description,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: true,
    only_show_if_degraded: false,
    components: children.map((c) => c.publicId),
  };
}

export function serialiseIncident(
  incident: IncidentSummary,
  updates: readonly UpdateView[],
  componentsById: ReadonlyMap<string, ApiComponent>,
  site: Site,
): ApiIncident {
  return {
    id: incident.publicId,
    name: incident.title,
    status: incident.status,
    created_at: iso(incident.createdAt),
    updated_at: iso(incident.updatedAt),
    monitoring_at: isoOrNull(incident.monitoringAt),
    resolved_at: isoOrNull(incident.resolvedAt),
    impact: incident.impact,
    shortlink: `${site.url}/incidents/${incident.publicId}`,
    started_at: iso(incident.startedAt),
    page_id: site.publicId,
    incident_updates: updates.map((u) => ({
      id: u.publicId,
      status: u.status,
      body: u.bodyMd,
      incident_id: incident.publicId,
      created_at: iso(u.createdAt),
      updated_at: iso(u.updatedAt),
      display_at: iso(u.displayAt),
      affected_components:
        u.componentChanges.length === 0
          ? null
          : u.componentChanges.map((c) => ({ code: c.componentId, name: c.name, old_status: c.oldStatus, new_status: c.newStatus })),
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: incident.components.flatMap((c) => componentsById.get(c.publicId) ?? []),
    mitigated_at: isoOrNull(incident.mitigatedAt),
    impact_ended_at: isoOrNull(incident.impactEndedAt),
  };
}

/**
 * The standard knows no cancelled maintenance (its clients switch over scheduled, in_progress,
 * verifying and completed): a cancelled window reads `completed`, as Statuspage users post it,
 * with `cancelled: true` and its cancellation notice as the latest update.
 */
function standardMaintenanceStatus(status: MaintenanceSummary['status']): string {
  return status === 'cancelled' ? 'completed' : status;
}

export function serialiseMaintenance(m: MaintenanceSummary, componentsById: ReadonlyMap<string, ApiComponent>, site: Site): ApiMaintenance {
  const finished = m.status === 'completed' || m.status === 'cancelled';
  return {
    id: m.publicId,
    name: m.title,
    status: standardMaintenanceStatus(m.status),
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    monitoring_at: isoOrNull(m.verifyingAt),
    resolved_at: finished ? iso(m.actualEnd ?? m.updatedAt) : null,
    impact: 'maintenance',
    shortlink: `${site.url}/maintenance/${m.publicId}`,
    started_at: iso(m.actualStart ?? m.scheduledStart),
    page_id: site.publicId,
    incident_updates: m.updates.map((u) => ({
      id: u.publicId,
      status: standardMaintenanceStatus(u.status),
      body: u.bodyMd,
      incident_id: m.publicId,
      created_at: iso(u.createdAt),
      updated_at: iso(u.updatedAt),
      display_at: iso(u.displayAt),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: m.components.flatMap((c) => componentsById.get(c.publicId) ?? []),
    scheduled_for: iso(m.scheduledStart),
    scheduled_until: iso(m.scheduledEnd),
    cancelled: m.status === 'cancelled',
  };
}
