// One click: staff publish an alert's draft. It becomes public now (its first public update is
// now, whatever the alert's time), and the component levels its alerts proposed become impact
// periods from the detection time — ended where an alert already cleared — so they count in
// component status, uptime and credits from now on, never while it was a draft.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { worstStatus } from '../../domain/status.ts';
import { Conflict } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { alignImpactEnd, findIncident, type IncidentLevel } from './incident-records.ts';
import { notify, parseInput } from './input.ts';
import { parseProposals, type ProposedLevel } from './receive-alerts.ts';
import { runCommand } from './run-command.ts';
import { publishIncidentNotice } from '../notify/publish.ts';

/** One period per component: its worst proposed level, from the earliest alert to the last clearing (open while any fires). */
function mergeProposals(list: ProposedLevel[]): { componentId: string; level: IncidentLevel; from: number; to: number | null }[] {
  const byComponent = new Map<string, ProposedLevel[]>();
  for (const p of list) byComponent.set(p.componentId, [...(byComponent.get(p.componentId) ?? []), p]);
  return [...byComponent].map(([componentId, ps]) => ({
    componentId,
    level: worstStatus(ps.map((p) => p.level)) as IncidentLevel,
    from: Math.min(...ps.map((p) => p.from)),
    to: ps.some((p) => p.to === null) ? null : Math.max(...ps.map((p) => p.to!)),
  }));
}

export const publishDraftIncidentInput = z.object({ notify });
export type PublishDraftIncidentInput = z.input<typeof publishDraftIncidentInput>;

export function publishDraftIncident(db: Db, authority: Authority, incidentPublicId: string, input: PublishDraftIncidentInput, now: number): void {
  requireEditor(authority);
  const data = parseInput(publishDraftIncidentInput, input);
  runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const incident = findIncident(tx, incidentPublicId);
    if (!incident.draft) throw new Conflict('This incident is already public.');
    const proposals = mergeProposals(parseProposals(incident.proposedComponents));
    // Components removed since the alert are left out rather than refusing the publication.
    const known = new Map(
      tx.select({ id: s.components.id, publicId: s.components.publicId }).from(s.components).all().map((c) => [c.publicId, c.id]),
    );
    // Components whose level an alert already set by itself (automatic levels) keep those periods.
    const automatic = tx
      .select({ componentId: s.components.publicId, level: s.impactPeriods.level, startedAt: s.impactPeriods.startedAt, endedAt: s.impactPeriods.endedAt })
      .from(s.impactPeriods)
      .innerJoin(s.components, eq(s.components.id, s.impactPeriods.componentId))
      .where(eq(s.impactPeriods.incidentId, incident.id))
      .all() as { componentId: string; level: IncidentLevel; startedAt: number; endedAt: number | null }[];
    const periods = proposals
      .filter((p) => known.has(p.componentId) && !automatic.some((a) => a.componentId === p.componentId))
      .map((p) => ({ ...p, startedAt: Math.max(p.from, incident.startedAt), endedAt: p.to }));
    const first = tx.select({ id: s.incidentUpdates.id, publicId: s.incidentUpdates.publicId }).from(s.incidentUpdates).where(eq(s.incidentUpdates.incidentId, incident.id)).orderBy(s.incidentUpdates.displayAt).get();
    for (const p of periods) {
      tx.insert(s.impactPeriods)
        .values({ componentId: known.get(p.componentId)!, incidentId: incident.id, level: p.level, startedAt: p.startedAt, endedAt: p.endedAt === null ? null : Math.max(p.endedAt, p.startedAt), createdAt: now, updatedAt: now })
        .run();
    }
    const all = [...periods, ...automatic];
    if (first) {
      for (const componentId of new Set(all.map((p) => p.componentId))) {
        const level = worstStatus(all.filter((p) => p.componentId === componentId).map((p) => p.level));
        tx.insert(s.incidentUpdateComponents).values({ updateId: first.id, componentId: known.get(componentId)!, oldStatus: 'operational', newStatus: level }).run();
      }
    }
    const moments = alignImpactEnd(
      all.map((p) => ({ component: p.componentId, level: p.level, startedAt: p.startedAt, endedAt: p.endedAt })),
      { impactEndedAt: null, mitigatedAt: null },
    );
    tx.update(s.incidents)
      .set({ draft: false, publishedAt: now, proposedComponents: null, ...moments, updatedAt: now })
      .where(eq(s.incidents.id, incident.id))
      .run();
    audit({
      action: 'incident.publish_draft',
      entityType: 'incident',
      entityId: incident.publicId,
      before: { draft: true, detectedAt: incident.detectedAt },
      after: { draft: false, publishedAt: now, periods: all.map((p) => ({ component: p.componentId, level: p.level, startedAt: p.startedAt, endedAt: p.endedAt })), ...moments },
    });
    // Subscribers hear of it now that it is public, as of an incident opened now.
    if (data.notify) publishIncidentNotice(db, { event: 'incident.opened', incidentId: incident.id, updatePublicId: first?.publicId }, now);
  });
}
