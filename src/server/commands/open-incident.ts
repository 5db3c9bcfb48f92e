// Opening an incident: the incident, its first public update, and an impact period per affected
// component from the (possibly back-dated) start.
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import { newPublicId } from '../../../db/ids.ts';
import { INCIDENT_IMPACTS, MITIGATION_WORDINGS, OPEN_INCIDENT_STATUSES } from '../../domain/status.ts';
import { checkIncidentMoments } from '../../domain/timeline-rules.ts';
import type { Db } from '../../../db/client.ts';
import { Invalid } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findComponents, insertIncidentUpdate, openPeriod } from './incident-records.ts';
import { incidentLevel, instant, markdown, notify, parseInput, title } from './input.ts';
import { publishIncidentNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';

export const openIncidentInput = z.object({
  title: title('incident'),
  impact: z.enum(INCIDENT_IMPACTS, { error: 'Choose how severe the impact is.' }),
  status: z.enum(OPEN_INCIDENT_STATUSES, { error: 'Choose investigating, identified or monitoring.' }).default('investigating'),
  message: markdown('Write the first message customers will read.'),
  /** When customers began to be affected; defaults to now. */
  startedAt: instant('Enter when customers began to be affected.').optional(),
  components: z
    .array(z.object({ componentId: z.string(), level: incidentLevel }), { error: 'List the affected components.' })
    .default([]),
  /** How the public pages name the moment service is restored on our side (MITIGATION_WORDS). */
  mitigationWording: z.enum(MITIGATION_WORDINGS, { error: 'Choose "fixed on our side" or "failover".' }).default('fix'),
  /**
   * Recording after the fact: when the first message was (or should have been) posted. The page
   * shows when it was recorded too; time to first update counts from publication, i.e. now.
   */
  displayAt: instant('Enter when this first message is about, or leave it empty for now.').optional(),
  notify,
});

export type OpenIncidentInput = z.input<typeof openIncidentInput>;

export function openIncident(db: Db, authority: Authority, input: OpenIncidentInput, now: number): { id: number; publicId: string } {
  requireEditor(authority);
  // The timeline is checked alongside the shape, so every mistake is reported at once.
  const timeline = typeof input.startedAt === 'number' ? checkIncidentMoments({ startedAt: input.startedAt, mitigatedAt: null, impactEndedAt: null }, now) : {};
  if (typeof input.displayAt === 'number') {
    if (input.displayAt > now) timeline.displayAt = 'This time is in the future. Leave it empty to post now.';
    else if (input.displayAt < (typeof input.startedAt === 'number' ? input.startedAt : now)) timeline.displayAt = 'The first message cannot come before the incident started.';
  }
  const data = parseInput(openIncidentInput, input, timeline);
  const startedAt = data.startedAt ?? now;
  const displayAt = data.displayAt ?? now;
  const seen = new Set<string>();
  for (const c of data.components) {
    if (seen.has(c.componentId)) throw new Invalid({ components: 'Each component can be listed once, at one level.' });
    seen.add(c.componentId);
  }

  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const components = findComponents(tx, data.components.map((c) => c.componentId), 'components');
    const publicId = newPublicId();
    const incident = tx
      .insert(s.incidents)
      .values({
        publicId,
        title: data.title,
        impact: data.impact,
        status: data.status,
        startedAt,
        mitigationWording: data.mitigationWording,
        monitoringAt: data.status === 'monitoring' ? displayAt : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: s.incidents.id })
      .get();
    const update = insertIncidentUpdate(
      tx,
      incident.id,
      { kind: 'update', status: data.status, message: data.message, displayAt, authorId: authority.actor.userId },
      now,
    );
    for (const c of data.components) {
      const component = components.get(c.componentId)!;
      openPeriod(tx, incident.id, component.id, c.level, startedAt, now);
      tx.insert(s.incidentUpdateComponents)
        .values({ updateId: update.id, componentId: component.id, oldStatus: 'operational', newStatus: c.level })
        .run();
    }
    audit({
      action: 'incident.open',
      entityType: 'incident',
      entityId: publicId,
      after: {
        title: data.title,
        impact: data.impact,
        status: data.status,
        startedAt,
        components: data.components.map((c) => ({ component: components.get(c.componentId)!.name, level: c.level })),
        displayAt,
        recordedAt: now,
      },
    });
    if (data.notify) publishIncidentNotice(db, { event: 'incident.opened', incidentId: incident.id, updatePublicId: update.publicId }, now);
    return { id: incident.id, publicId };
  });
}
