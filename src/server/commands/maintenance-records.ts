// Writes shared by the maintenance commands, always inside their transaction (beside
// incident-records.ts for incidents).
import * as s from '../../../db/schema.ts';
import { newPublicId } from '../../../db/ids.ts';
import type { MaintenanceStatus } from '../../domain/status.ts';
import type { Tx } from '../actor.ts';
import type { Authority } from './authority.ts';
import { renderBody } from './input.ts';

export interface WindowRecord {
  title: string;
  status: MaintenanceStatus;
  scheduledStart: number;
  scheduledEnd: number;
  /** When customers were told; it decides whether the window is excused. */
  announcedAt: number;
  /** A window that already ran (recorded after the fact): when the work really began and ended. */
  ran?: { actualStart: number; actualEnd: number };
  componentIds: readonly number[];
}

/**
 * Adds a maintenance window with its components (scheduling, recording one after the fact). A
 * window that already ran also gets its components' time under maintenance; a scheduled one gets
 * it when it starts.
 */
export function insertMaintenanceWindow(tx: Tx, window: WindowRecord, now: number): { id: number; publicId: string } {
  const publicId = newPublicId();
  const { id } = tx
    .insert(s.maintenances)
    .values({
      publicId,
      title: window.title,
      status: window.status,
      scheduledStart: window.scheduledStart,
      scheduledEnd: window.scheduledEnd,
      actualStart: window.ran?.actualStart ?? null,
      actualEnd: window.ran?.actualEnd ?? null,
      announcedAt: window.announcedAt,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: s.maintenances.id })
    .get();
  for (const componentId of window.componentIds) {
    tx.insert(s.maintenanceComponents).values({ maintenanceId: id, componentId }).run();
    if (window.ran) {
      tx.insert(s.impactPeriods)
        .values({ componentId, maintenanceId: id, level: 'under_maintenance', startedAt: window.ran.actualStart, endedAt: window.ran.actualEnd, createdAt: now, updatedAt: now })
        .run();
    }
  }
  return { id, publicId };
}

/**
 * Adds a public update to a window's timeline (every maintenance verb posts one); its public id.
 * `displayAt` is when it speaks of (back-dated), by default now, when it is recorded.
 */
export function insertMaintenanceUpdate(
  tx: Tx,
  maintenanceId: number,
  status: MaintenanceStatus,
  message: string,
  authority: Authority,
  now: number,
  displayAt = now,
): string {
  const publicId = newPublicId();
  tx.insert(s.maintenanceUpdates)
    .values({ publicId, maintenanceId, status, ...renderBody(message), displayAt, authorId: authority.actor.userId, createdAt: now, updatedAt: now })
    .run();
  return publicId;
}
