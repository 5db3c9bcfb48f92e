// Reads and writes shared by the incident commands, always inside their transaction.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { impactEndOf, type PeriodDraft } from '../../domain/timeline-rules.ts';
import { pageOrder } from '../component-order.ts';
import { Invalid, NotFound } from '../errors.ts';
import { newPublicId } from '../../../db/ids.ts';
import type { IncidentLevel, IncidentStatus, UpdateKind } from '../../domain/status.ts';
import type { Tx } from '../actor.ts';
import { renderBody } from './input.ts';

export type IncidentRow = typeof s.incidents.$inferSelect;

export type { IncidentLevel };

export interface PeriodRecord extends PeriodDraft {
  id: number;
  componentId: number;
  componentPublicId: string;
  level: IncidentLevel;
}

export interface ComponentRef {
  id: number;
  publicId: string;
  name: string;
}

export function findIncident(tx: Tx, publicId: string): IncidentRow {
  const row = tx.select().from(s.incidents).where(eq(s.incidents.publicId, publicId)).get();
  if (!row) throw new NotFound(`No incident ${publicId}`);
  return row;
}

export function loadIncidentPeriods(tx: Tx, incidentId: number): PeriodRecord[] {
  return tx
    .select({
      id: s.impactPeriods.id,
      componentId: s.impactPeriods.componentId,
      componentPublicId: s.components.publicId,
      component: s.components.name,
      level: s.impactPeriods.level,
      startedAt: s.impactPeriods.startedAt,
      endedAt: s.impactPeriods.endedAt,
    })
    .from(s.impactPeriods)
    .innerJoin(s.components, eq(s.components.id, s.impactPeriods.componentId))
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .where(eq(s.impactPeriods.incidentId, incidentId))
    .orderBy(...pageOrder, s.impactPeriods.startedAt)
    .all() as PeriodRecord[];
}

/** Component public ids → rows; an unknown id is refused on `field`. */
export function findComponents(tx: Tx, publicIds: readonly string[], field: string): Map<string, ComponentRef> {
  const unique = [...new Set(publicIds)];
  const rows = unique.length
    ? tx
        .select({ id: s.components.id, publicId: s.components.publicId, name: s.components.name })
        .from(s.components)
        .where(inArray(s.components.publicId, unique))
        .all()
    : [];
  const found = new Map(rows.map((r) => [r.publicId, r]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new Invalid({ [field]: `Unknown component ${missing.join(', ')}. Reload the page: it may have been removed.` });
  }
  return found;
}

export function openPeriod(tx: Tx, incidentId: number, componentId: number, level: IncidentLevel, at: number, now: number): void {
  tx.insert(s.impactPeriods)
    .values({ componentId, incidentId, level, startedAt: at, endedAt: null, createdAt: now, updatedAt: now })
    .run();
}

export function closePeriod(tx: Tx, periodId: number, at: number, now: number): void {
  tx.update(s.impactPeriods)
    .set({ endedAt: at, updatedAt: now })
    .where(and(eq(s.impactPeriods.id, periodId), isNull(s.impactPeriods.endedAt)))
    .run();
}

/**
 * Keeps the incident's moments in step with its periods: impact ends at the latest period end
 * (null while any is open); with no periods the incident's own moment stands. Customers all
 * back to normal means service was restored on our side too, so a missing mitigation follows.
 */
export function alignImpactEnd(
  periods: readonly PeriodDraft[],
  current: { impactEndedAt: number | null; mitigatedAt: number | null },
): { impactEndedAt: number | null; mitigatedAt: number | null } {
  const derived = impactEndOf(periods);
  const impactEndedAt = derived === undefined ? current.impactEndedAt : derived;
  const mitigatedAt = current.mitigatedAt ?? impactEndedAt;
  return { impactEndedAt, mitigatedAt };
}

/** The impact window as the audit log and impact corrections record it. */
export function snapshotWindow(incident: Pick<IncidentRow, 'startedAt' | 'mitigatedAt' | 'impactEndedAt'>, periods: readonly PeriodDraft[]) {
  return {
    startedAt: incident.startedAt,
    mitigatedAt: incident.mitigatedAt,
    impactEndedAt: incident.impactEndedAt,
    periods: [...periods]
      .sort((a, b) => a.component.localeCompare(b.component) || a.startedAt - b.startedAt)
      .map((p) => ({ component: p.component, level: p.level, startedAt: p.startedAt, endedAt: p.endedAt })),
  };
}

export interface UpdateRecord {
  kind: UpdateKind;
  status: IncidentStatus;
  /** Markdown; stored with its sanitised HTML. */
  message: string;
  /** When the update speaks of (back-dated); default: now, when it is recorded. */
  displayAt?: number;
  /** The signed-in author; null for a token, the system or an alert. */
  authorId: number | null;
  /** Where it came from: staff (default) or an alert that opened a draft. */
  origin?: 'staff' | 'alert';
}

/** Adds an update to an incident's timeline (open, update, resolve and alert drafts each post one). */
export function insertIncidentUpdate(tx: Tx, incidentId: number, update: UpdateRecord, now: number): { id: number; publicId: string } {
  const publicId = newPublicId();
  const { id } = tx
    .insert(s.incidentUpdates)
    .values({
      publicId,
      incidentId,
      kind: update.kind,
      status: update.status,
      ...renderBody(update.message),
      displayAt: update.displayAt ?? now,
      authorId: update.authorId,
      origin: update.origin ?? 'staff',
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: s.incidentUpdates.id })
    .get();
  return { id, publicId };
}
