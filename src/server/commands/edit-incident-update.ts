// Editing a published update never hides what it said: the previous text is kept as a revision
// and the public page marks the update "edited" with its history.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { Invalid, NotFound } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { markdown, notify, parseInput, renderBody } from './input.ts';
import { publishIncidentNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';

export const editIncidentUpdateInput = z.object({
  message: markdown('Write the corrected text; an update cannot be empty.'),
  /** Off by default: fixing a typo should not mail everyone again. */
  notify: notify.default(false),
});

export type EditIncidentUpdateInput = z.input<typeof editIncidentUpdateInput>;

export function editIncidentUpdate(
  db: Db,
  authority: Authority,
  updatePublicId: string,
  input: EditIncidentUpdateInput,
  now: number,
): { publicId: string } {
  requireEditor(authority);
  const data = parseInput(editIncidentUpdateInput, input);
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const update = tx.select().from(s.incidentUpdates).where(eq(s.incidentUpdates.publicId, updatePublicId)).get();
    if (!update) throw new NotFound(`No incident update ${updatePublicId}`);
    if (update.bodyMd === data.message) throw new Invalid({ message: 'The text is unchanged. Edit it, or go back without saving.' });
    tx.insert(s.updateRevisions)
      .values({ updateId: update.id, bodyMd: update.bodyMd, bodyHtml: update.bodyHtml, revisedAt: now, editorId: authority.actor.userId })
      .run();
    const body = renderBody(data.message);
    tx.update(s.incidentUpdates).set({ ...body, editedAt: now, updatedAt: now }).where(eq(s.incidentUpdates.id, update.id)).run();
    tx.update(s.incidents).set({ updatedAt: now }).where(eq(s.incidents.id, update.incidentId)).run();
    audit({
      action: 'incident_update.edit',
      entityType: 'incident_update',
      entityId: update.publicId,
      before: { bodyMd: update.bodyMd },
      after: { bodyMd: body.bodyMd },
    });
    if (data.notify) publishIncidentNotice(db, { event: 'incident.update_edited', incidentId: update.incidentId, updatePublicId: update.publicId }, now);
    return { publicId: update.publicId };
  });
}
