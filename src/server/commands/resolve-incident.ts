// Closing an incident. Refused while any customer is still marked as affected, and only after
// staff confirm the service was verified end to end — "the server is back" is not enough.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import { explainResolveBlocked } from '../../domain/timeline-rules.ts';
import type { Db } from '../../../db/client.ts';
import { Conflict } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findIncident, insertIncidentUpdate, loadIncidentPeriods } from './incident-records.ts';
import { confirmation, markdown, notify, parseInput } from './input.ts';
import { publishIncidentNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';

export const resolveIncidentInput = z.object({
  message: markdown('Write the closing message customers will read.'),
  verifiedEndToEnd: confirmation,
  notify,
});

const UNVERIFIED =
  'Confirm that the service was verified end to end — customers can use it normally again, not just our side restored.';

export type ResolveIncidentInput = z.input<typeof resolveIncidentInput>;

export function resolveIncident(
  db: Db,
  authority: Authority,
  incidentPublicId: string,
  input: ResolveIncidentInput,
  now: number,
): { publicId: string } {
  requireEditor(authority);
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const incident = findIncident(tx, incidentPublicId);
    if (incident.status === 'resolved') throw new Conflict('This incident is already resolved.');
    // The state is checked before the form: that is what staff most need to hear.
    const blocked = explainResolveBlocked(loadIncidentPeriods(tx, incident.id));
    if (blocked) throw new Conflict(blocked);
    const data = parseInput(resolveIncidentInput, input, input.verifiedEndToEnd === true ? {} : { verifiedEndToEnd: UNVERIFIED });
    const { publicId } = insertIncidentUpdate(tx, incident.id, { kind: 'update', status: 'resolved', message: data.message, authorId: authority.actor.userId }, now);
    tx.update(s.incidents).set({ status: 'resolved', resolvedAt: now, updatedAt: now }).where(eq(s.incidents.id, incident.id)).run();
    audit({
      action: 'incident.resolve',
      entityType: 'incident',
      entityId: incident.publicId,
      before: { status: incident.status, resolvedAt: null },
      after: { status: 'resolved', resolvedAt: now, update: publicId, verifiedEndToEnd: true },
    });
    if (data.notify) publishIncidentNotice(db, { event: 'incident.resolved', incidentId: incident.id, updatePublicId: publicId }, now);
    return { publicId };
  });
}
