// Everything the home page needs, in one call.
import type { Db } from '../../db/client.ts';
import { compareActiveIncidents, deriveHeadline, type Headline } from '../domain/headline.ts';
import { deriveOverallStatus, worstStatus, type ComponentStatus } from '../domain/status.ts';
import { loadComponentHealth, loadGroups, type ComponentHealth, type Group } from './component-health.ts';
import { listActiveIncidents, type IncidentSummary } from './incidents.ts';
import { listActiveAndUpcomingMaintenance, type MaintenanceSummary } from './maintenance.ts';
import { loadSite, type Site } from './site.ts';

export type TreeEntry =
  | { kind: 'group'; group: Group; status: ComponentStatus; components: ComponentHealth[] }
  | { kind: 'component'; component: ComponentHealth };

export interface StatusPage {
  site: Site;
  now: number;
  /** The worse of the standard (component-derived) level and the unresolved incidents' impact. */
  overall: Headline;
  /** Worst impact first, then the most recently started. */
  activeIncidents: IncidentSummary[];
  tree: TreeEntry[];
  activeMaintenance: MaintenanceSummary[];
  upcomingMaintenance: MaintenanceSummary[];
}

/** Groups and ungrouped components interleaved by position; empty groups are left out. */
export function buildComponentTree(groups: Group[], components: ComponentHealth[]): TreeEntry[] {
  const entries: { position: number; order: number; entry: TreeEntry }[] = [];
  for (const group of groups) {
    const members = components.filter((c) => c.groupId === group.id);
    if (members.length === 0) continue;
    const status = worstStatus(members.map((c) => c.status));
    entries.push({ position: group.position, order: 0, entry: { kind: 'group', group, status, components: members } });
  }
  const groupIds = new Set(groups.map((g) => g.id));
  for (const component of components) {
    if (component.groupId !== null && groupIds.has(component.groupId)) continue;
    entries.push({ position: component.position, order: 1, entry: { kind: 'component', component } });
  }
  return entries.sort((a, b) => a.position - b.position || a.order - b.order).map((e) => e.entry);
}

export function getStatusPage(db: Db, now: number): StatusPage {
  const site = loadSite(db);
  const components = loadComponentHealth(db, site, now);
  const { active, upcoming } = listActiveAndUpcomingMaintenance(db);
  const activeIncidents = listActiveIncidents(db, now).sort(compareActiveIncidents);
  return {
    site,
    now,
    overall: deriveHeadline(
      deriveOverallStatus(components.map((c) => c.status)),
      activeIncidents.map((i) => i.impact),
    ),
    activeIncidents,
    tree: buildComponentTree(loadGroups(db), components),
    activeMaintenance: active,
    upcomingMaintenance: upcoming,
  };
}
