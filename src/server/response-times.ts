// The month's incidents with their first public update, for response-time compliance.
import { and, asc, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import type { Interval } from '../domain/availability.ts';
import type { ResponseIncident } from '../domain/response-compliance.ts';
import { publicIncidentsWhere } from './incidents.ts';

/**
 * Public incidents that started in the window (incidents_started_at range), each with its
 * first public update (incident_updates (incident_id, …): one index seek per incident).
 */
export function loadResponseIncidents(db: Db, window: Interval, componentId?: number): ResponseIncident[] {
  const started = and(gte(s.incidents.startedAt, window.start), lt(s.incidents.startedAt, window.end));
  // For one component's page: only incidents that put it at some level.
  const touches =
    componentId === undefined
      ? undefined
      : sql`exists (select 1 from ${s.impactPeriods} p where p.incident_id = ${s.incidents}.id and p.component_id = ${componentId})`;
  return db
    .select({
      id: s.incidents.publicId,
      title: s.incidents.title,
      impact: s.incidents.impact,
      startedAt: s.incidents.startedAt,
      detectedAt: s.incidents.detectedAt,
      // Aliased and qualified by hand: drizzle leaves column names bare in a single-table select,
      // and a bare "id" inside the subquery would mean the update's own id. As firstPublicUpdateAt:
      // publication (created_at), not the back-dated display time, and not before a draft's
      // publication (max() of a null is null: no update yet).
      firstUpdateAt: sql<number | null>`max(coalesce(${s.incidents.publishedAt}, 0), (select min(u.created_at) from ${s.incidentUpdates} u where u.incident_id = ${s.incidents}.id))`,
    })
    .from(s.incidents)
    .where(publicIncidentsWhere(and(started, touches)))
    .orderBy(asc(s.incidents.startedAt), asc(s.incidents.id))
    .all();
}
