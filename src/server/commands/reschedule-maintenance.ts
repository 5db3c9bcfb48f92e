// Moving a scheduled maintenance window ("the upgrade moves to next Tuesday") without cancelling
// it: same public id (calendar UID, links), a public update saying from what to what, and honest
// notice — the new window was announced now, so `announcedAt` moves to now. Policy warnings come
// back first, without saving, exactly like scheduling; `confirmPolicyWarnings` moves it anyway.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as s from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { checkMaintenanceWindow } from '../../domain/timeline-rules.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findComponents } from './incident-records.ts';
import { confirmation, instant, markdown, notify, parseInput, title } from './input.ts';
import { cancelPendingReminders, publishMaintenanceNotice, scheduleMaintenanceReminder } from '../notify/publish.ts';
import { insertMaintenanceUpdate } from './maintenance-records.ts';
import { maintenancePolicyWarnings, type PolicyWarning } from './maintenance-warnings.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

export const rescheduleMaintenanceInput = z.object({
  scheduledStart: instant('Enter when the window now starts.'),
  scheduledEnd: instant('Enter when the window now ends.'),
  /** Absent: the components stay as they are. */
  components: z
    .array(z.string(), { error: 'Choose the components that will be under maintenance.' })
    .min(1, 'Choose the components that will be under maintenance.')
    .optional(),
  /** Absent: the title stays as it is. */
  title: title('maintenance').optional(),
  /** Absent: a plain line saying from which window to which. */
  message: markdown('Write a message or leave the default.').optional(),
  confirmPolicyWarnings: confirmation,
  notify,
});

export type RescheduleMaintenanceInput = z.input<typeof rescheduleMaintenanceInput>;

export type RescheduleMaintenanceResult =
  | { saved: false; warnings: PolicyWarning[] }
  | { saved: true; publicId: string; updateId: string; warnings: PolicyWarning[] };

const REFUSALS: Record<string, string> = {
  in_progress: 'This maintenance is already under way, so it can no longer be moved. Post an update if it will run longer.',
  verifying: 'This maintenance is already under way, so it can no longer be moved. Post an update if it will run longer.',
  completed: 'This maintenance is already completed, so it can no longer be moved.',
  cancelled: 'This maintenance was cancelled, so it can no longer be moved. Schedule a new window instead.',
};

/** "19 Jul 2026, 11:00–13:00 CEST" or, across days or a clock change, both ends in full (site time zone). */
export function describeWindow(start: number, end: number, timeZone: string): string {
  const startFull = formatInstant(start, timeZone, 'datetime');
  const endFull = formatInstant(end, timeZone, 'datetime');
  const zoneOf = (text: string) => text.slice(text.lastIndexOf(' ') + 1);
  const sameDay = formatInstant(start, timeZone, 'date') === formatInstant(end, timeZone, 'date');
  if (!sameDay || zoneOf(startFull) !== zoneOf(endFull)) return `${startFull} – ${endFull}`;
  return `${formatInstant(start, timeZone, 'date')}, ${formatInstant(start, timeZone, 'time')}–${formatInstant(end, timeZone, 'time')} ${zoneOf(endFull)}`;
}

type MaintenanceRow = typeof s.maintenances.$inferSelect;

function loadScheduled(tx: Tx | Db, publicId: string): MaintenanceRow {
  const row = tx.select().from(s.maintenances).where(eq(s.maintenances.publicId, publicId)).get();
  if (!row) throw new NotFound(`No maintenance ${publicId}`);
  if (row.status !== 'scheduled') throw new Conflict(REFUSALS[row.status] ?? 'Only a scheduled window can be moved.');
  return row;
}

function componentsOf(tx: Tx | Db, maintenanceId: number): { id: number; publicId: string; name: string }[] {
  return tx
    .select({ id: s.components.id, publicId: s.components.publicId, name: s.components.name })
    .from(s.maintenanceComponents)
    .innerJoin(s.components, eq(s.components.id, s.maintenanceComponents.componentId))
    .where(eq(s.maintenanceComponents.maintenanceId, maintenanceId))
    .all();
}

export function rescheduleMaintenance(
  db: Db,
  authority: Authority,
  publicId: string,
  input: RescheduleMaintenanceInput,
  now: number,
): RescheduleMaintenanceResult {
  requireEditor(authority);
  const data = parseInput(rescheduleMaintenanceInput, input);
  const current = loadScheduled(db, publicId);
  const problems = checkMaintenanceWindow(data.scheduledStart, data.scheduledEnd, now);
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  const currentComponents = componentsOf(db, current.id);
  const componentIds = data.components ? [...new Set(data.components)] : currentComponents.map((c) => c.publicId);
  const timesChanged = data.scheduledStart !== current.scheduledStart || data.scheduledEnd !== current.scheduledEnd;
  const componentsChanged =
    componentIds.length !== currentComponents.length || !currentComponents.every((c) => componentIds.includes(c.publicId));
  const titleChanged = data.title !== undefined && data.title !== current.title;
  if (!timesChanged && !componentsChanged && !titleChanged) {
    throw new Invalid({ scheduledStart: 'This is the window already announced. Change the start or the end to move it.' });
  }
  const warnings = maintenancePolicyWarnings(
    db,
    { scheduledStart: data.scheduledStart, scheduledEnd: data.scheduledEnd, componentIds, replaces: publicId },
    now,
  );
  if (warnings.length > 0 && !data.confirmPolicyWarnings) return { saved: false, warnings };
  const timeZone = loadSite(db).timeZone;

  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    // Checked again inside the transaction: it may have started since the warnings were shown.
    const row = loadScheduled(tx, publicId);
    const before = componentsOf(tx, row.id);
    const refs = componentsChanged ? [...findComponents(tx, componentIds, 'components').values()] : before;
    const oldWindow = describeWindow(row.scheduledStart, row.scheduledEnd, timeZone);
    const newWindow = describeWindow(data.scheduledStart, data.scheduledEnd, timeZone);
    const defaultLines = [timesChanged ? `Rescheduled from ${oldWindow} to ${newWindow}.` : `The window stays ${newWindow}.`];
    if (componentsChanged) defaultLines.push(`Components under maintenance: ${refs.map((r) => r.name).join(', ')}.`);
    const message = data.message ?? defaultLines.join(' ');

    const changes = {
      title: data.title ?? row.title,
      scheduledStart: data.scheduledStart,
      scheduledEnd: data.scheduledEnd,
      announcedAt: now,
      updatedAt: now,
    };
    tx.update(s.maintenances).set(changes).where(eq(s.maintenances.id, row.id)).run();
    if (componentsChanged) {
      tx.delete(s.maintenanceComponents).where(eq(s.maintenanceComponents.maintenanceId, row.id)).run();
      for (const ref of refs) tx.insert(s.maintenanceComponents).values({ maintenanceId: row.id, componentId: ref.id }).run();
    }
    const updateId = insertMaintenanceUpdate(tx, row.id, 'scheduled', message, authority, now);
    audit({
      action: 'maintenance.reschedule',
      entityType: 'maintenance',
      entityId: row.publicId,
      before: {
        title: row.title,
        scheduledStart: row.scheduledStart,
        scheduledEnd: row.scheduledEnd,
        announcedAt: row.announcedAt,
        components: before.map((c) => c.name),
      },
      after: {
        title: changes.title,
        scheduledStart: changes.scheduledStart,
        scheduledEnd: changes.scheduledEnd,
        announcedAt: now,
        components: refs.map((r) => r.name),
        update: updateId,
        policyWarningsAccepted: warnings.map((w) => w.problem),
      },
    });
    cancelPendingReminders(db, row.id);
    if (data.notify) {
      publishMaintenanceNotice(db, { event: 'maintenance.rescheduled', maintenanceId: row.id, updatePublicId: updateId }, now);
      scheduleMaintenanceReminder(db, row.id, data.scheduledStart, now);
    }
    return { saved: true, publicId: row.publicId, updateId, warnings };
  });
}
