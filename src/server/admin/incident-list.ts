// The workspace's incident list: open incidents first, then the most recent resolved ones.
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { listActiveIncidents, listIncidentIds, loadIncidentSummaries, type IncidentSummary } from '../incidents.ts';
import { loadSite, type Site } from '../site.ts';

export const RESOLVED_PER_PAGE = 25;

/**
 * Where each resolved incident's post-mortem stands. Major and critical incidents need one
 * published; for minor and no-impact incidents it is optional.
 */
export type PostmortemState = 'published' | 'draft' | 'needed' | 'optional';

export function postmortemState(impact: IncidentSummary['impact'], saved: 'draft' | 'published' | undefined): PostmortemState {
  if (saved === 'published') return 'published';
  if (saved === 'draft') return 'draft';
  return impact === 'major' || impact === 'critical' ? 'needed' : 'optional';
}

export interface IncidentList {
  site: Site;
  now: number;
  /** Alert drafts waiting to be published, newest first. */
  drafts: IncidentSummary[];
  open: IncidentSummary[];
  resolved: (IncidentSummary & { postmortem: PostmortemState })[];
  page: number;
  hasMore: boolean;
}

export function getIncidentList(db: Db, now: number, page: number): IncidentList {
  const current = Number.isInteger(page) && page > 0 ? page : 1;
  const ids = listIncidentIds(db, eq(s.incidents.status, 'resolved'), current * RESOLVED_PER_PAGE + 1);
  const pageIds = ids.slice((current - 1) * RESOLVED_PER_PAGE, current * RESOLVED_PER_PAGE);
  const saved = new Map(
    (pageIds.length === 0
      ? []
      : db.select({ incidentId: s.postmortems.incidentId, status: s.postmortems.status }).from(s.postmortems).where(inArray(s.postmortems.incidentId, pageIds)).all()
    ).map((p) => [p.incidentId, p.status]),
  );
  return {
    site: loadSite(db),
    now,
    drafts: loadIncidentSummaries(
      db,
      db.select({ id: s.incidents.id }).from(s.incidents).where(eq(s.incidents.draft, true)).orderBy(desc(s.incidents.createdAt)).all().map((r) => r.id),
      now,
    ),
    open: listActiveIncidents(db, now),
    resolved: loadIncidentSummaries(db, pageIds, now).map((i) => ({ ...i, postmortem: postmortemState(i.impact, saved.get(i.id)) })),
    page: current,
    hasMore: ids.length > current * RESOLVED_PER_PAGE,
  };
}
