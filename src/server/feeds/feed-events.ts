// The events a history feed lists: incidents and maintenance windows, one item each with every
// update, newest first. Incidents come through the one public-visibility rule (listIncidentIds).
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { stripInvisibleFormatting } from '../../domain/display-text.ts';
import { INCIDENT_STATUS_LABELS, MAINTENANCE_STATUS_LABELS } from '../../domain/status.ts';
import { listIncidentIds, loadIncidentSummaries } from '../incidents.ts';
import { listMaintenanceIds, loadMaintenanceSummaries } from '../maintenance.ts';
import { loadPublishedPostmortems } from '../postmortems.ts';
import type { Site } from '../site.ts';
import { renderPostmortemParagraph, renderScheduledLine, renderUpdateParagraphs } from './feed-body.ts';

/** Keeps a feed well under 1 MB even with long post-mortems; readers only look at recent items. */
export const FEED_EVENT_LIMIT = 50;

export interface FeedEvent {
  kind: 'incident' | 'maintenance';
  publicId: string;
  title: string;
  /** The event's public page: item link and guid. */
  url: string;
  /** Incidents: when customers began to be affected. Maintenance: the scheduled start. */
  publishedAt: number;
  updatedAt: number;
  /** Scheduled end of a maintenance window; null for incidents. */
  maintenanceEnd: number | null;
  html: string;
}

export function loadFeedEvents(db: Db, site: Site, now: number, componentId?: number): FeedEvent[] {
  const events = [...incidentEvents(db, site, now, componentId), ...maintenanceEvents(db, site, componentId)];
  return events
    .sort((a, b) => b.publishedAt - a.publishedAt || a.publicId.localeCompare(b.publicId))
    .slice(0, FEED_EVENT_LIMIT);
}

function incidentEvents(db: Db, site: Site, now: number, componentId: number | undefined): FeedEvent[] {
  const where =
    componentId === undefined
      ? undefined
      : sql`exists (select 1 from ${s.impactPeriods} where ${s.impactPeriods.incidentId} = ${s.incidents.id} and ${s.impactPeriods.componentId} = ${componentId})`;
  const ids = listIncidentIds(db, where, FEED_EVENT_LIMIT);
  const postmortems = loadPublishedPostmortems(db, ids);
  return loadIncidentSummaries(db, ids, now).map((incident) => {
    const own = incident.updates;
    const postmortem = postmortems.get(incident.id);
    const html =
      (postmortem ? renderPostmortemParagraph(postmortem, site.timeZone) : '') +
      renderUpdateParagraphs(own, INCIDENT_STATUS_LABELS, site.timeZone);
    return {
      kind: 'incident',
      publicId: incident.publicId,
      title: stripInvisibleFormatting(incident.title),
      url: `${site.url}/incidents/${incident.publicId}`,
      publishedAt: incident.startedAt,
      updatedAt: Math.max(incident.updatedAt, postmortem?.updatedAt ?? 0, ...own.map((u) => u.updatedAt)),
      maintenanceEnd: null,
      html,
    };
  });
}

function maintenanceEvents(db: Db, site: Site, componentId: number | undefined): FeedEvent[] {
  const where =
    componentId === undefined
      ? undefined
      : sql`exists (select 1 from ${s.maintenanceComponents} where ${s.maintenanceComponents.maintenanceId} = ${s.maintenances.id} and ${s.maintenanceComponents.componentId} = ${componentId})`;
  const ids = listMaintenanceIds(db, where, 'newest', FEED_EVENT_LIMIT);
  return loadMaintenanceSummaries(db, ids).map((m) => ({
    kind: 'maintenance',
    publicId: m.publicId,
    title: stripInvisibleFormatting(m.title),
    url: `${site.url}/maintenance/${m.publicId}`,
    publishedAt: m.scheduledStart,
    updatedAt: Math.max(m.updatedAt, ...m.updates.map((u) => u.updatedAt)),
    maintenanceEnd: m.scheduledEnd,
    html:
      renderScheduledLine(m.scheduledStart, m.scheduledEnd, site.timeZone) +
      renderUpdateParagraphs(
        m.updates.map((u) => ({ ...u, kind: 'update' as const })),
        MAINTENANCE_STATUS_LABELS,
        site.timeZone,
      ),
  }));
}
