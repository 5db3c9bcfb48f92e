// Recording a maintenance window after it happened: staff who did the work write it down later,
// or a provider brings its history. The window is stored as completed, its components were under
// maintenance for the time it actually ran, and its one update is dated at the end of the window
// while its creation time says when it was recorded. Whether it is excused from availability is
// decided as for any window, from when it was announced: a window not announced beforehand is
// recorded as announced now, so it counts as downtime.
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findComponents } from './incident-records.ts';
import { instant, markdown, parseInput, title } from './input.ts';
import { insertMaintenanceUpdate, insertMaintenanceWindow } from './maintenance-records.ts';
import { runCommand } from './run-command.ts';

export const recordPastMaintenanceInput = z.object({
  title: title('maintenance'),
  scheduledStart: instant('Enter when the window was planned to start.'),
  scheduledEnd: instant('Enter when the window was planned to end.'),
  /** When the work really began and ended; default: the planned window. */
  actualStart: instant('Enter when the work began, or leave it empty for the planned start.').optional(),
  actualEnd: instant('Enter when the work ended, or leave it empty for the planned end.').optional(),
  /** When customers were told; absent or null: not announced before it ran. */
  announcedAt: instant('Enter when customers were told, or leave it empty if they were not told beforehand.').nullable().optional(),
  components: z
    .array(z.string(), { error: 'Choose the components that were under maintenance.' })
    .min(1, 'Choose the components that were under maintenance.'),
  message: markdown('Tell customers what was done and what they noticed.'),
});

export type RecordPastMaintenanceInput = z.input<typeof recordPastMaintenanceInput>;

/** The window's times must be in order and over; every problem named at once. */
function checkPastWindow(input: RecordPastMaintenanceInput, now: number): Record<string, string> {
  const problems: Record<string, string> = {};
  const { scheduledStart: start, scheduledEnd: end } = input;
  if (typeof start !== 'number' || typeof end !== 'number') return problems;
  const actualStart = input.actualStart ?? start;
  const actualEnd = input.actualEnd ?? end;
  if (end <= start) problems.scheduledEnd = 'The window must end after it starts.';
  if (typeof actualStart === 'number' && typeof actualEnd === 'number') {
    if (actualEnd <= actualStart) problems.actualEnd = 'The work must end after it began.';
    else if (actualEnd > now) problems[input.actualEnd === undefined ? 'scheduledEnd' : 'actualEnd'] = 'This window has not ended yet: schedule it as maintenance instead.';
  }
  if (typeof input.announcedAt === 'number' && input.announcedAt > now) problems.announcedAt = 'This time is in the future.';
  return problems;
}

/**
 * The command's checks without writing; `extra` are a form's own problems (e.g. "announced, but
 * when?"), named together with the command's so staff see every problem at once.
 */
export function checkPastMaintenance(input: RecordPastMaintenanceInput, now: number, extra: Record<string, string> = {}) {
  return parseInput(recordPastMaintenanceInput, input, { ...checkPastWindow(input, now), ...extra });
}

export function recordPastMaintenance(db: Db, authority: Authority, input: RecordPastMaintenanceInput, now: number): { publicId: string } {
  requireEditor(authority);
  const data = checkPastMaintenance(input, now);
  const actualStart = data.actualStart ?? data.scheduledStart;
  const actualEnd = data.actualEnd ?? data.scheduledEnd;
  const announcedAt = data.announcedAt ?? now;
  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const refs = findComponents(tx, data.components, 'components');
    const { id, publicId } = insertMaintenanceWindow(
      tx,
      {
        title: data.title,
        status: 'completed',
        scheduledStart: data.scheduledStart,
        scheduledEnd: data.scheduledEnd,
        announcedAt,
        ran: { actualStart, actualEnd },
        componentIds: [...refs.values()].map((r) => r.id),
      },
      now,
    );
    // Its one update speaks of the end of the window; its creation time says when it was recorded.
    insertMaintenanceUpdate(tx, id, 'completed', data.message, authority, now, actualEnd);
    audit({
      action: 'maintenance.record_past',
      entityType: 'maintenance',
      entityId: publicId,
      after: {
        title: data.title,
        scheduledStart: data.scheduledStart,
        scheduledEnd: data.scheduledEnd,
        actualStart,
        actualEnd,
        announcedAt,
        announcedBeforehand: data.announcedAt != null,
        components: [...refs.values()].map((r) => r.name),
        recordedAt: now,
      },
    });
    return { publicId };
  });
}
