// Post-mortems: written as a draft (never public), then published on the incident page and in
// the feeds. Publishing again later updates the public text and keeps the first publication date.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { Conflict } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findIncident } from './incident-records.ts';
import { markdown, notify, parseInput, renderBody } from './input.ts';
import { publishIncidentNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';

export const postmortemInput = z.object({
  body: markdown('Write the post-mortem; it cannot be empty.'),
  /** Publishing tells subscribers the first time; later corrections of the text do not. */
  notify,
});

export type PostmortemInput = z.input<typeof postmortemInput>;

export function savePostmortemDraft(db: Db, authority: Authority, incidentPublicId: string, input: PostmortemInput, now: number): void {
  requireEditor(authority);
  const data = parseInput(postmortemInput, input);
  runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const incident = findIncident(tx, incidentPublicId);
    const existing = tx.select().from(s.postmortems).where(eq(s.postmortems.incidentId, incident.id)).get();
    if (existing?.status === 'published') {
      throw new Conflict('This post-mortem is already public. Use "Update published post-mortem" to change the public text.');
    }
    const body = renderBody(data.body);
    if (existing) {
      tx.update(s.postmortems).set({ ...body, authorId: authority.actor.userId, updatedAt: now }).where(eq(s.postmortems.id, existing.id)).run();
    } else {
      tx.insert(s.postmortems)
        .values({ incidentId: incident.id, status: 'draft', ...body, authorId: authority.actor.userId, createdAt: now, updatedAt: now })
        .run();
    }
    audit({
      action: 'postmortem.save_draft',
      entityType: 'incident',
      entityId: incident.publicId,
      before: existing ? { status: existing.status, bodyMd: existing.bodyMd } : undefined,
      after: { status: 'draft', bodyMd: body.bodyMd },
    });
  });
}

export function publishPostmortem(db: Db, authority: Authority, incidentPublicId: string, input: PostmortemInput, now: number): void {
  requireEditor(authority);
  const data = parseInput(postmortemInput, input);
  runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const incident = findIncident(tx, incidentPublicId);
    if (incident.status !== 'resolved') {
      throw new Conflict('Resolve the incident before publishing its post-mortem. You can save a draft meanwhile.');
    }
    const existing = tx.select().from(s.postmortems).where(eq(s.postmortems.incidentId, incident.id)).get();
    const body = renderBody(data.body);
    const publishedAt = existing?.publishedAt ?? now;
    if (existing) {
      tx.update(s.postmortems)
        .set({ ...body, status: 'published', publishedAt, authorId: authority.actor.userId, updatedAt: now })
        .where(eq(s.postmortems.id, existing.id))
        .run();
    } else {
      tx.insert(s.postmortems)
        .values({ incidentId: incident.id, status: 'published', ...body, publishedAt, authorId: authority.actor.userId, createdAt: now, updatedAt: now })
        .run();
    }
    tx.update(s.incidents).set({ updatedAt: now }).where(eq(s.incidents.id, incident.id)).run();
    audit({
      action: 'postmortem.publish',
      entityType: 'incident',
      entityId: incident.publicId,
      before: existing ? { status: existing.status, bodyMd: existing.bodyMd } : undefined,
      after: { status: 'published', publishedAt, bodyMd: body.bodyMd },
    });
    if (data.notify && existing?.status !== 'published') {
      publishIncidentNotice(db, { event: 'incident.postmortem_published', incidentId: incident.id }, now);
    }
  });
}
