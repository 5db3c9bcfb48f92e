// Published post-mortems of a set of incidents (drafts are never public).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';

export interface PublishedPostmortem {
  bodyMd: string;
  bodyHtml: string;
  publishedAt: number;
  updatedAt: number;
}

export function loadPublishedPostmortems(db: Db, incidentIds: number[]): Map<number, PublishedPostmortem> {
  if (incidentIds.length === 0) return new Map();
  const rows = db
    .select({
      incidentId: s.postmortems.incidentId,
      bodyMd: s.postmortems.bodyMd,
      bodyHtml: s.postmortems.bodyHtml,
      publishedAt: s.postmortems.publishedAt,
      updatedAt: s.postmortems.updatedAt,
    })
    .from(s.postmortems)
    .where(and(inArray(s.postmortems.incidentId, incidentIds), eq(s.postmortems.status, 'published')))
    .all();
  return new Map(
    rows.map(({ incidentId, publishedAt, ...pm }) => [incidentId, { ...pm, publishedAt: publishedAt ?? pm.updatedAt }]),
  );
}
