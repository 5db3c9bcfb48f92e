// A maintenance window's life after scheduling: start (its components go under maintenance),
// verify, complete (they come back), cancel, and plain updates. Each posts a public update.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import type { MaintenanceStatus } from '../../domain/status.ts';
import type { Db } from '../../../db/client.ts';
import { Conflict, NotFound } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { markdown, notify, parseInput } from './input.ts';
import { insertMaintenanceUpdate } from './maintenance-records.ts';
import { cancelPendingReminders, publishMaintenanceNotice, type MaintenanceNotice } from '../notify/publish.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

export const maintenanceStepInput = z.object({
  /** Shown to customers; each step has a plain default. */
  message: markdown('Write a message or leave the default.').optional(),
  notify,
});
export const maintenanceUpdateInput = z.object({
  message: markdown('Write the update customers will read.'),
  notify,
});

export type MaintenanceStepInput = z.input<typeof maintenanceStepInput>;
export type MaintenanceUpdateInput = z.input<typeof maintenanceUpdateInput>;
type MaintenanceRow = typeof s.maintenances.$inferSelect;

const REFUSALS: Record<MaintenanceStatus, string> = {
  scheduled: 'This maintenance has not started yet.',
  in_progress: 'This maintenance is already in progress.',
  verifying: 'This maintenance is already being verified.',
  completed: 'This maintenance is already completed.',
  cancelled: 'This maintenance was cancelled.',
};

interface Step {
  action: string;
  event: MaintenanceNotice['event'];
  from: MaintenanceStatus[];
  to: MaintenanceStatus;
  defaultMessage: string;
  apply: (tx: Tx, row: MaintenanceRow, now: number) => Partial<MaintenanceRow>;
  /** Clearer words than REFUSALS for this step. */
  refusals?: Partial<Record<MaintenanceStatus, string>>;
}

function runStep(db: Db, authority: Authority, publicId: string, step: Step, input: MaintenanceStepInput, now: number): void {
  requireEditor(authority);
  const { message, notify } = parseInput(maintenanceStepInput, input);
  runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const row = tx.select().from(s.maintenances).where(eq(s.maintenances.publicId, publicId)).get();
    if (!row) throw new NotFound(`No maintenance ${publicId}`);
    if (!step.from.includes(row.status)) throw new Conflict(step.refusals?.[row.status] ?? REFUSALS[row.status]);
    const changes = { ...step.apply(tx, row, now), status: step.to, updatedAt: now };
    tx.update(s.maintenances).set(changes).where(eq(s.maintenances.id, row.id)).run();
    const updatePublicId = insertMaintenanceUpdate(tx, row.id, step.to, message ?? step.defaultMessage, authority, now);
    audit({ action: step.action, entityType: 'maintenance', entityId: row.publicId, before: { status: row.status }, after: changes });
    // Once a window has started or was called off, its reminder would be wrong.
    cancelPendingReminders(db, row.id);
    if (notify) publishMaintenanceNotice(db, { event: step.event, maintenanceId: row.id, updatePublicId }, now);
  });
}

export function startMaintenance(db: Db, authority: Authority, publicId: string, input: MaintenanceStepInput, now: number): void {
  runStep(db, authority, publicId, {
    action: 'maintenance.start',
    event: 'maintenance.started',
    from: ['scheduled'],
    to: 'in_progress',
    defaultMessage: 'The maintenance has started.',
    apply: (tx, row) => {
      const components = tx.select().from(s.maintenanceComponents).where(eq(s.maintenanceComponents.maintenanceId, row.id)).all();
      for (const c of components) {
        tx.insert(s.impactPeriods)
          .values({ componentId: c.componentId, maintenanceId: row.id, level: 'under_maintenance', startedAt: now, endedAt: null, createdAt: now, updatedAt: now })
          .run();
      }
      return { actualStart: now };
    },
  }, input, now);
}

export function verifyMaintenance(db: Db, authority: Authority, publicId: string, input: MaintenanceStepInput, now: number): void {
  runStep(db, authority, publicId, {
    action: 'maintenance.verify',
    event: 'maintenance.verifying',
    from: ['in_progress'],
    to: 'verifying',
    defaultMessage: 'The work is done; we are verifying that everything works as expected.',
    apply: () => ({ verifyingAt: now }),
  }, input, now);
}

export function completeMaintenance(db: Db, authority: Authority, publicId: string, input: MaintenanceStepInput, now: number): void {
  runStep(db, authority, publicId, {
    action: 'maintenance.complete',
    event: 'maintenance.completed',
    from: ['in_progress', 'verifying'],
    to: 'completed',
    defaultMessage: 'The maintenance is complete.',
    apply: (tx, row) => {
      tx.update(s.impactPeriods)
        .set({ endedAt: now, updatedAt: now })
        .where(and(eq(s.impactPeriods.maintenanceId, row.id), isNull(s.impactPeriods.endedAt)))
        .run();
      return { actualEnd: now };
    },
  }, input, now);
}

/** What a cancellation publishes when staff write no message of their own. */
export const CANCEL_DEFAULT_MESSAGE = 'This maintenance has been cancelled.';

export function cancelMaintenance(db: Db, authority: Authority, publicId: string, input: MaintenanceStepInput, now: number): void {
  runStep(db, authority, publicId, {
    action: 'maintenance.cancel',
    event: 'maintenance.cancelled',
    from: ['scheduled'],
    to: 'cancelled',
    defaultMessage: CANCEL_DEFAULT_MESSAGE,
    apply: () => ({}),
    refusals: {
      in_progress: 'This maintenance is already under way: complete it rather than cancel it.',
      verifying: 'This maintenance is already under way: complete it rather than cancel it.',
    },
  }, input, now);
}

export function postMaintenanceUpdate(db: Db, authority: Authority, publicId: string, input: MaintenanceUpdateInput, now: number): { publicId: string } {
  requireEditor(authority);
  const { message, notify } = parseInput(maintenanceUpdateInput, input);
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const row = tx.select().from(s.maintenances).where(eq(s.maintenances.publicId, publicId)).get();
    if (!row) throw new NotFound(`No maintenance ${publicId}`);
    const updateId = insertMaintenanceUpdate(tx, row.id, row.status, message, authority, now);
    tx.update(s.maintenances).set({ updatedAt: now }).where(eq(s.maintenances.id, row.id)).run();
    audit({ action: 'maintenance.update', entityType: 'maintenance', entityId: row.publicId, after: { update: updateId, status: row.status } });
    if (notify) publishMaintenanceNotice(db, { event: 'maintenance.updated', maintenanceId: row.id, updatePublicId: updateId }, now);
    return { publicId: updateId };
  });
}
