// Everything the one-screen incident workspace needs: the public view of the incident, each
// component's current level in it, what blocks resolving, and the post-mortem draft if any.
import { asc, eq } from 'drizzle-orm';
import { parseProposals, type ProposedLevel } from '../commands/receive-alerts.ts';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import type { ComponentStatus } from '../../domain/status.ts';
import { explainResolveBlocked } from '../../domain/timeline-rules.ts';
import { updateFreshness, type Freshness } from '../../domain/update-freshness.ts';
import { getIncidentPage, type IncidentPage } from '../incident-page.ts';
import { listComponentChoices, type ComponentChoice } from './component-choices.ts';

export interface ComponentInIncident extends ComponentChoice {
  /** The level this incident currently puts it at; operational when unaffected. */
  level: ComponentStatus;
  since: number | null;
}

export interface IncidentScreen extends IncidentPage {
  freshness: Freshness;
  components: ComponentInIncident[];
  /** Why resolving is refused right now, or null. */
  resolveBlocked: string | null;
  postmortemDraft: { status: 'draft' | 'published'; bodyMd: string; publishedAt: number | null } | null;
  /** Staff-only notes (alerts fired or cleared), oldest first. */
  notes: { body: string; at: number }[];
  /** For an alert's draft: the component levels its alerts propose. */
  proposed: (ProposedLevel & { name: string })[];
}

export function getIncidentScreen(db: Db, publicId: string, now: number): IncidentScreen {
  const page = getIncidentPage(db, publicId, now, 'staff');
  const { incident } = page;
  const open = new Map(
    incident.components.flatMap((c) => {
      const current = c.periods.find((p) => p.endedAt === null);
      return current ? [[c.publicId, current] as const] : [];
    }),
  );
  const components = listComponentChoices(db).map((c) => {
    const current = open.get(c.publicId);
    return { ...c, level: current?.level ?? 'operational', since: current?.startedAt ?? null };
  });
  const periods = incident.components.flatMap((c) => c.periods.map((p) => ({ ...p, component: c.name })));
  const draft = db
    .select({ status: s.postmortems.status, bodyMd: s.postmortems.bodyMd, publishedAt: s.postmortems.publishedAt })
    .from(s.postmortems)
    .where(eq(s.postmortems.incidentId, incident.id))
    .get();
  const lastUpdateAt = page.updates[0]?.displayAt ?? incident.createdAt;
  return {
    ...page,
    freshness: updateFreshness(lastUpdateAt, now),
    components,
    resolveBlocked: incident.status === 'resolved' ? null : explainResolveBlocked(periods),
    postmortemDraft: draft ?? null,
    notes: db
      .select({ body: s.incidentNotes.body, at: s.incidentNotes.at })
      .from(s.incidentNotes)
      .where(eq(s.incidentNotes.incidentId, incident.id))
      .orderBy(asc(s.incidentNotes.at), asc(s.incidentNotes.id))
      .all(),
    proposed: proposedLevels(db, incident.id, components),
  };
}

function proposedLevels(db: Db, incidentId: number, components: { publicId: string; name: string }[]): IncidentScreen['proposed'] {
  const row = db.select({ proposed: s.incidents.proposedComponents }).from(s.incidents).where(eq(s.incidents.id, incidentId)).get();
  const names = new Map(components.map((c) => [c.publicId, c.name]));
  return parseProposals(row?.proposed ?? null).map((p) => ({ ...p, name: names.get(p.componentId) ?? 'a removed component' }));
}

export interface UpdateForEdit {
  incidentPublicId: string;
  incidentTitle: string;
  update: IncidentPage['updates'][number];
}

/** One update of one incident, for the edit page; null when it does not belong to it. */
export function findUpdateForEdit(screen: IncidentPage, updatePublicId: string): UpdateForEdit | null {
  const update = screen.updates.find((u) => u.publicId === updatePublicId);
  return update ? { incidentPublicId: screen.incident.publicId, incidentTitle: screen.incident.title, update } : null;
}
