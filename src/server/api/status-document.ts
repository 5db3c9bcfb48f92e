// `/api/status.json`: Candor's own status, beside the standard one. `status` is exactly what
// `/api/v2/status.json` answers (derived from component levels, as the standard defines it);
// `headline` is what the home page shows: never better than the worst unresolved incident, with
// the reason when the incidents decide it. Documented in docs/api.md.
import type { Db } from '../../../db/client.ts';
import { compareActiveIncidents, deriveHeadline } from '../../domain/headline.ts';
import { deriveOverallStatus } from '../../domain/status.ts';
import { loadComponentHealth } from '../component-health.ts';
import { listActiveIncidents } from '../incidents.ts';
import { loadLastChangeAt } from '../last-change.ts';
import { loadSite } from '../site.ts';
import { iso, serialisePage } from './status-api-objects.ts';

export function getStatusDocument(db: Db, now: number) {
  const site = loadSite(db);
  // Only the current status is needed: one day of bars keeps the health query small.
  const components = loadComponentHealth(db, site, now, { days: 1 });
  const status = deriveOverallStatus(components.map((c) => c.status));
  const incidents = listActiveIncidents(db, now).sort(compareActiveIncidents);
  return {
    page: serialisePage(site, loadLastChangeAt(db)),
    status,
    headline: deriveHeadline(status, incidents.map((i) => i.impact)),
    unresolved_incidents: incidents.map((i) => ({
      id: i.publicId,
      name: i.title,
      impact: i.impact,
      status: i.status,
      started_at: iso(i.startedAt),
      shortlink: `${site.url}/incidents/${i.publicId}`,
    })),
  };
}
