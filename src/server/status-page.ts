// Everything the home page needs, in one call.
import type { Db } from '../../db/client.ts';
import { deriveOverallStatus, worstStatus, type ComponentStatus, type Indicator } from '../domain/status.ts';
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
  overall: { indicator: Indicator; description: string };
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
  return {
    site,
    now,
    overall: deriveOverallStatus(components.map((c) => c.status)),
    activeIncidents: listActiveIncidents(db, now),
    tree: buildComponentTree(loadGroups(db), components),
    activeMaintenance: active,
    upcomingMaintenance: upcoming,
  };
}
