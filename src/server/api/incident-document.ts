// Candor's own incident JSON (`/api/incidents/<id>.json`): everything the incident page shows —
// the timeline moments, both durations with what they measure, updates with their kind,
// corrections and the published post-mortem. Documented in docs/api.md.
import type { Db } from '../../../db/client.ts';
import { formatDuration, formatDurationLong, type Span } from '../../domain/durations.ts';
import { getIncidentPage, type IncidentPage } from '../incident-page.ts';
import type { Audience } from '../incidents.ts';
import { loadPublishedPostmortems } from '../postmortems.ts';
import { iso } from './status-api-objects.ts';

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Exact milliseconds; the words as the page shows them (moments on the minute, so they add up). */
function duration(ms: number, shownMs: number) {
  return { ms, formatted: formatDuration(shownMs), formatted_long: formatDurationLong(shownMs) };
}

function span(value: Span, shown: Span, measures: string) {
  return { ...duration(value.ms, shown.ms), ongoing: value.ongoing, measures };
}

export function serialiseIncidentDocument(page: IncidentPage, postmortemMarkdown: string | null) {
  const { incident, site } = page;
  const d = incident.durations;
  const shown = incident.shownDurations;
  return {
    id: incident.publicId,
    title: incident.title,
    impact: incident.impact,
    status: incident.status,
    url: `${site.url}/incidents/${incident.publicId}`,
    created_at: iso(incident.createdAt),
    updated_at: iso(incident.updatedAt),
    /** The instant ongoing durations run up to; null when none is ongoing (the document is then stable). */
    as_of: d.failover.ongoing || d.customerImpact.ongoing ? iso(page.now) : null,
    recorded_impact: incident.recordedImpact,
    ...(incident.draft ? { draft: true } : {}),
    imported_from: incident.importedFrom,
    timeline: {
      started_at: iso(incident.startedAt),
      first_update_at: isoOrNull(incident.firstUpdateAt),
      mitigated_at: isoOrNull(incident.mitigatedAt),
      impact_ended_at: isoOrNull(incident.impactEndedAt),
      monitoring_at: isoOrNull(incident.monitoringAt),
      resolved_at: isoOrNull(incident.resolvedAt),
      /** When monitoring detected it (incidents opened from an alert). */
      detected_at: isoOrNull(incident.detectedAt),
    },
    durations: {
      failover: span(d.failover, shown.failover, 'From the start until service was restored on our side (failover or fix complete).'),
      customer_impact: span(d.customerImpact, shown.customerImpact, 'From the start until the last affected customer was back to normal.'),
      impact_after_failover:
        d.impactAfterFailover === null || shown.impactAfterFailover === null
          ? null
          : span(d.impactAfterFailover, shown.impactAfterFailover, 'How long customers stayed affected after service was restored on our side.'),
      time_to_first_update: d.timeToFirstUpdate === null ? null : duration(d.timeToFirstUpdate, shown.timeToFirstUpdate ?? d.timeToFirstUpdate),
      detection_to_first_update: incident.detectionToFirstUpdateMs === null ? null : duration(incident.detectionToFirstUpdateMs, incident.detectionToFirstUpdateMs),
    },
    components: incident.components.map((c) => ({
      id: c.publicId,
      slug: c.slug,
      name: c.name,
      worst_status: c.worst,
      periods: c.periods.map((p) => ({ level: p.level, started_at: iso(p.startedAt), ended_at: isoOrNull(p.endedAt) })),
    })),
    updates: page.updates.map((u) => ({
      id: u.publicId,
      kind: u.kind,
      status: u.status,
      body_markdown: u.bodyMd,
      body_html: u.bodyHtml,
      display_at: iso(u.displayAt),
      created_at: iso(u.createdAt),
      updated_at: iso(u.updatedAt),
      edited_at: isoOrNull(u.editedAt),
      origin: u.origin,
      component_changes: u.componentChanges.map((c) => ({
        component_id: c.componentId,
        name: c.name,
        old_status: c.oldStatus,
        new_status: c.newStatus,
      })),
      revisions: u.revisions.map((r) => ({ body_html: r.bodyHtml, revised_at: iso(r.revisedAt) })),
    })),
    corrections: page.corrections.map((c) => ({ reason: c.reason, corrected_at: iso(c.correctedAt) })),
    postmortem:
      page.postmortem === null
        ? null
        : {
            body_markdown: postmortemMarkdown,
            body_html: page.postmortem.bodyHtml,
            published_at: iso(page.postmortem.publishedAt),
            updated_at: iso(page.postmortem.updatedAt),
          },
  };
}

export type IncidentDocument = ReturnType<typeof serialiseIncidentDocument>;

/** Throws NotFound for an unknown or non-public incident. */
export function getIncidentDocument(db: Db, publicId: string, now: number, audience: Audience = 'public'): IncidentDocument {
  const page = getIncidentPage(db, publicId, now, audience);
  const markdown = page.postmortem ? (loadPublishedPostmortems(db, [page.incident.id]).get(page.incident.id)?.bodyMd ?? null) : null;
  return serialiseIncidentDocument(page, markdown);
}
