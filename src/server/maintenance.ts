// Maintenance read models, shared by pages, API and feeds.
import { asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import type { MaintenanceStatus } from '../domain/status.ts';

export interface MaintenanceUpdateView {
  publicId: string;
  status: MaintenanceStatus;
  bodyMd: string;
  bodyHtml: string;
  displayAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface MaintenanceSummary {
  id: number;
  publicId: string;
  title: string;
  status: MaintenanceStatus;
  scheduledStart: number;
  scheduledEnd: number;
  actualStart: number | null;
  actualEnd: number | null;
  verifyingAt: number | null;
  announcedAt: number;
  createdAt: number;
  updatedAt: number;
  components: { id: number; publicId: string; slug: string; name: string; slaPolicyId: number | null }[];
  updates: MaintenanceUpdateView[];
}

export function listMaintenanceIds(db: Db, where: SQL | undefined, order: 'newest' | 'soonest', limit?: number): number[] {
  const query = db
    .select({ id: s.maintenances.id })
    .from(s.maintenances)
    .where(where)
    .orderBy(order === 'newest' ? desc(s.maintenances.scheduledStart) : asc(s.maintenances.scheduledStart));
  return (limit === undefined ? query.all() : query.limit(limit).all()).map((r) => r.id);
}

/** In progress or verifying, then scheduled windows that have not ended — soonest first. */
export function listActiveAndUpcomingMaintenance(db: Db): { active: MaintenanceSummary[]; upcoming: MaintenanceSummary[] } {
  const active = loadMaintenanceSummaries(
    db,
    listMaintenanceIds(db, inArray(s.maintenances.status, ['in_progress', 'verifying']), 'soonest'),
  );
  const upcoming = loadMaintenanceSummaries(db, listMaintenanceIds(db, eq(s.maintenances.status, 'scheduled'), 'soonest'));
  return { active, upcoming };
}

export function loadMaintenanceSummaries(db: Db, ids: number[]): MaintenanceSummary[] {
  if (ids.length === 0) return [];
  const rows = db.select().from(s.maintenances).where(inArray(s.maintenances.id, ids)).all();
  const components = db
    .select({
      maintenanceId: s.maintenanceComponents.maintenanceId,
      id: s.components.id,
      publicId: s.components.publicId,
      slug: s.components.slug,
      name: s.components.name,
      slaPolicyId: s.components.slaPolicyId,
    })
    .from(s.maintenanceComponents)
    .innerJoin(s.components, eq(s.components.id, s.maintenanceComponents.componentId))
    .where(inArray(s.maintenanceComponents.maintenanceId, ids))
    .orderBy(asc(s.components.position), asc(s.components.id))
    .all();
  const updates = db
    .select()
    .from(s.maintenanceUpdates)
    .where(inArray(s.maintenanceUpdates.maintenanceId, ids))
    .orderBy(desc(s.maintenanceUpdates.displayAt), desc(s.maintenanceUpdates.id))
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id: row.id,
        publicId: row.publicId,
        title: row.title,
        status: row.status,
        scheduledStart: row.scheduledStart,
        scheduledEnd: row.scheduledEnd,
        actualStart: row.actualStart,
        actualEnd: row.actualEnd,
        verifyingAt: row.verifyingAt,
        announcedAt: row.announcedAt,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        components: components.filter((c) => c.maintenanceId === id).map(({ maintenanceId: _, ...c }) => c),
        updates: updates
          .filter((u) => u.maintenanceId === id)
          .map((u) => ({
            publicId: u.publicId,
            status: u.status,
            bodyMd: u.bodyMd,
            bodyHtml: u.bodyHtml,
            displayAt: u.displayAt,
            createdAt: u.createdAt,
            updatedAt: u.updatedAt,
          })),
      },
    ];
  });
}

export function findMaintenanceId(db: Db, publicId: string): number | null {
  return db.select({ id: s.maintenances.id }).from(s.maintenances).where(eq(s.maintenances.publicId, publicId)).get()?.id ?? null;
}
