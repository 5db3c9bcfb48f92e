// Everything the public incident page needs.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { NotFound } from './errors.ts';
import { findIncidentId, loadIncidentSummaries, type Audience, type IncidentSummary, type UpdateView } from './incidents.ts';
import { loadPublishedPostmortems, type PublishedPostmortem } from './postmortems.ts';
import { loadSite, type Site } from './site.ts';

export interface IncidentPage {
  site: Site;
  now: number;
  incident: IncidentSummary;
  updates: UpdateView[];
  corrections: { reason: string; correctedAt: number }[];
  postmortem: Omit<PublishedPostmortem, 'bodyMd'> | null;
}

export function getIncidentPage(db: Db, publicId: string, now: number, audience: Audience = 'public'): IncidentPage {
  const id = findIncidentId(db, publicId, audience);
  const incident = id === null ? undefined : loadIncidentSummaries(db, [id], now)[0];
  if (id === null || !incident) throw new NotFound(`No incident ${publicId}`);
  const corrections = db
    .select({ reason: s.impactCorrections.reason, correctedAt: s.impactCorrections.correctedAt })
    .from(s.impactCorrections)
    .where(eq(s.impactCorrections.incidentId, id))
    .orderBy(desc(s.impactCorrections.correctedAt))
    .all();
  const published = loadPublishedPostmortems(db, [id]).get(id);
  return {
    site: loadSite(db),
    now,
    incident,
    updates: incident.updates,
    corrections,
    postmortem: published
      ? { bodyHtml: published.bodyHtml, publishedAt: published.publishedAt, updatedAt: published.updatedAt }
      : null,
  };
}
