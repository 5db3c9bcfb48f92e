// The workspace home: what needs attention now. Open incidents with their age and how long
// customers have waited for news (overdue ones first), and maintenance under way or coming up.
import type { Db } from '../../../db/client.ts';
import { updateFreshness, type Freshness } from '../../domain/update-freshness.ts';
import { listActiveIncidents, type IncidentSummary } from '../incidents.ts';
import { listActiveAndUpcomingMaintenance, type MaintenanceSummary } from '../maintenance.ts';
import { loadSite, type Site } from '../site.ts';
import { countSwitchedOff } from '../notify/subscriber-admin.ts';

export interface OpenIncidentRow {
  incident: IncidentSummary;
  ageMs: number;
  lastUpdateAt: number;
  freshness: Freshness;
  /** Components still affected, with their current level in this incident. */
  affected: { name: string; level: string }[];
}

export interface WorkspaceHome {
  site: Site;
  now: number;
  open: OpenIncidentRow[];
  activeMaintenance: MaintenanceSummary[];
  upcomingMaintenance: MaintenanceSummary[];
  /** Notification destinations switched off for failing (staff must be told). */
  switchedOff: number;
}

const UPCOMING_SHOWN = 5;

export function getWorkspaceHome(db: Db, now: number): WorkspaceHome {
  const open = listActiveIncidents(db, now).map((incident) => {
    const lastUpdateAt = incident.latestUpdate?.displayAt ?? incident.createdAt;
    return {
      incident,
      ageMs: Math.max(0, now - incident.startedAt),
      lastUpdateAt,
      freshness: updateFreshness(lastUpdateAt, now),
      affected: incident.components.flatMap((c) => {
        const current = c.periods.find((p) => p.endedAt === null);
        return current ? [{ name: c.name, level: current.level }] : [];
      }),
    };
  });
  // The longest silence first: that is the one to post to next.
  open.sort((a, b) => a.lastUpdateAt - b.lastUpdateAt);
  const { active, upcoming } = listActiveAndUpcomingMaintenance(db);
  return { site: loadSite(db), now, open, activeMaintenance: active, upcomingMaintenance: upcoming.slice(0, UPCOMING_SHOWN), switchedOff: countSwitchedOff(db) };
}
