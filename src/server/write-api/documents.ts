// What the admin API answers with. Incidents reuse Candor's public incident document (the same
// timeline and durations as /api/incidents/<id>.json); maintenance and tokens have small
// documents of their own, in the same snake_case style.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { getIncidentDocument } from '../api/incident-document.ts';
import { iso } from '../api/status-api-objects.ts';
import { NotFound } from '../errors.ts';
import { getMaintenancePage } from '../maintenance-page.ts';
import type { ApiCaller } from './caller.ts';

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Staff's view: an alert's draft too (marked `draft: true`). */
export const incidentDocument = (db: Db, publicId: string, now: number) => getIncidentDocument(db, publicId, now, 'staff');

export function maintenanceDocument(db: Db, publicId: string, now: number) {
  const { site, maintenance: m, compliance } = getMaintenancePage(db, publicId, now);
  return {
    id: m.publicId,
    title: m.title,
    status: m.status,
    url: `${site.url}/maintenance/${m.publicId}`,
    scheduled_start: iso(m.scheduledStart),
    scheduled_end: iso(m.scheduledEnd),
    announced_at: iso(m.announcedAt),
    actual_start: isoOrNull(m.actualStart),
    verifying_at: isoOrNull(m.verifyingAt),
    actual_end: isoOrNull(m.actualEnd),
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    components: m.components.map((c) => ({ id: c.publicId, slug: c.slug, name: c.name })),
    policy: compliance.map((c) => ({ component: c.componentName, policy: c.policyName, excused: c.evaluation.excused, problems: c.evaluation.problems })),
    updates: m.updates.map((u) => ({ id: u.publicId, status: u.status, body_markdown: u.bodyMd, body_html: u.bodyHtml, display_at: iso(u.displayAt) })),
  };
}

export function callerDocument(caller: ApiCaller) {
  const { token, authority } = caller;
  return {
    token: token === null ? null : { id: token.publicId, name: token.name, scopes: token.scopes, created_at: iso(token.createdAt) },
    /** As the audit log records it. */
    actor: authority.actor.label,
    role: authority.role,
    scopes: caller.scopes,
  };
}

/** 404 unless the update is one of this incident's (an update id alone would do, but the path names both). */
export function requireIncidentUpdate(db: Db, incidentPublicId: string, updatePublicId: string): void {
  const found = db
    .select({ id: s.incidentUpdates.id })
    .from(s.incidentUpdates)
    .innerJoin(s.incidents, eq(s.incidents.id, s.incidentUpdates.incidentId))
    .where(and(eq(s.incidents.publicId, incidentPublicId), eq(s.incidentUpdates.publicId, updatePublicId)))
    .get();
  if (!found) throw new NotFound(`Incident ${incidentPublicId} has no update ${updatePublicId}.`);
}
