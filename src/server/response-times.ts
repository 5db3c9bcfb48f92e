// The month's incidents with their first public update, for response-time compliance.
import { and, asc, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import type { Interval } from '../domain/availability.ts';
import type { ResponseIncident } from '../domain/response-compliance.ts';
import { publicIncidentsWhere } from './incidents.ts';

/**
 * Public incidents that started in the window (incidents_started_at range), each with its
 * earliest update (incident_updates (incident_id, display_at): one index seek per incident).
 */
export function loadResponseIncidents(db: Db, window: Interval): ResponseIncident[] {
  return db
    .select({
      id: s.incidents.publicId,
      title: s.incidents.title,
      impact: s.incidents.impact,
      startedAt: s.incidents.startedAt,
      // Aliased and qualified by hand: drizzle leaves column names bare in a single-table select,
      // and a bare "id" inside the subquery would mean the update's own id.
      firstUpdateAt: sql<number | null>`(select min(u.display_at) from ${s.incidentUpdates} u where u.incident_id = ${s.incidents}.id)`,
    })
    .from(s.incidents)
    .where(publicIncidentsWhere(and(gte(s.incidents.startedAt, window.start), lt(s.incidents.startedAt, window.end))))
    .orderBy(asc(s.incidents.startedAt), asc(s.incidents.id))
    .all();
}
