// The workspace's maintenance list: under way, coming up, then the most recent finished ones.
import { inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { listActiveAndUpcomingMaintenance, listMaintenanceIds, loadMaintenanceSummaries, type MaintenanceSummary } from '../maintenance.ts';
import { loadSite, type Site } from '../site.ts';

const PAST_SHOWN = 25;

export interface MaintenanceList {
  site: Site;
  now: number;
  active: MaintenanceSummary[];
  upcoming: MaintenanceSummary[];
  past: MaintenanceSummary[];
}

export function getMaintenanceList(db: Db, now: number): MaintenanceList {
  const { active, upcoming } = listActiveAndUpcomingMaintenance(db);
  const pastIds = listMaintenanceIds(db, inArray(s.maintenances.status, ['completed', 'cancelled']), 'newest', PAST_SHOWN);
  return { site: loadSite(db), now, active, upcoming, past: loadMaintenanceSummaries(db, pastIds) };
}
