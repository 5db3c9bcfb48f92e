// Scheduling a maintenance window. Policy warnings come back first, without saving; a second
// call with `confirmPolicyWarnings` schedules it anyway.
import { z } from 'zod';
import { checkMaintenanceWindow } from '../../domain/timeline-rules.ts';
import type { Db } from '../../../db/client.ts';
import { Invalid } from '../errors.ts';
import { requireEditor, type Authority } from './authority.ts';
import { findComponents } from './incident-records.ts';
import { confirmation, instant, markdown, notify, parseInput, title } from './input.ts';
import { publishMaintenanceNotice, scheduleMaintenanceReminder } from '../notify/publish.ts';
import { insertMaintenanceUpdate, insertMaintenanceWindow } from './maintenance-records.ts';
import { maintenancePolicyWarnings, type PolicyWarning } from './maintenance-warnings.ts';
import { runCommand } from './run-command.ts';

export const scheduleMaintenanceInput = z.object({
  title: title('maintenance'),
  scheduledStart: instant('Enter when the window starts.'),
  scheduledEnd: instant('Enter when the window ends.'),
  components: z
    .array(z.string(), { error: 'Choose the components that will be under maintenance.' })
    .min(1, 'Choose the components that will be under maintenance.'),
  message: markdown('Tell customers what will happen and what they will notice.'),
  confirmPolicyWarnings: confirmation,
  notify,
});

export type ScheduleMaintenanceInput = z.input<typeof scheduleMaintenanceInput>;

export type ScheduleMaintenanceResult =
  | { saved: false; warnings: PolicyWarning[] }
  | { saved: true; publicId: string; warnings: PolicyWarning[] };

export function scheduleMaintenance(db: Db, authority: Authority, input: ScheduleMaintenanceInput, now: number): ScheduleMaintenanceResult {
  requireEditor(authority);
  const data = parseInput(scheduleMaintenanceInput, input);
  const problems = checkMaintenanceWindow(data.scheduledStart, data.scheduledEnd, now);
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  const componentIds = [...new Set(data.components)];
  const warnings = maintenancePolicyWarnings(db, { scheduledStart: data.scheduledStart, scheduledEnd: data.scheduledEnd, componentIds }, now);
  if (warnings.length > 0 && !data.confirmPolicyWarnings) return { saved: false, warnings };

  return runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const refs = findComponents(tx, componentIds, 'components');
    const { id, publicId } = insertMaintenanceWindow(
      tx,
      { title: data.title, status: 'scheduled', scheduledStart: data.scheduledStart, scheduledEnd: data.scheduledEnd, announcedAt: now, componentIds: [...refs.values()].map((r) => r.id) },
      now,
    );
    const updatePublicId = insertMaintenanceUpdate(tx, id, 'scheduled', data.message, authority, now);
    audit({
      action: 'maintenance.schedule',
      entityType: 'maintenance',
      entityId: publicId,
      after: {
        title: data.title,
        scheduledStart: data.scheduledStart,
        scheduledEnd: data.scheduledEnd,
        announcedAt: now,
        components: [...refs.values()].map((r) => r.name),
        policyWarningsAccepted: warnings.map((w) => w.problem),
      },
    });
    if (data.notify) {
      publishMaintenanceNotice(db, { event: 'maintenance.scheduled', maintenanceId: id, updatePublicId }, now);
      scheduleMaintenanceReminder(db, id, data.scheduledStart, now);
    }
    return { saved: true, publicId, warnings };
  });
}
