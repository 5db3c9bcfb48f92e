// Maintenance endpoints of the admin API, over the workspace's own commands. Scheduling (or
// rescheduling) a window that breaks the policy is refused with the warnings (409, nothing saved)
// until the client sends them back in `acknowledge_warnings` — exactly those, as the workspace's
// "Schedule anyway" does.
import { z } from 'zod';
import {
  cancelMaintenance,
  completeMaintenance,
  maintenanceStepInput,
  maintenanceUpdateInput,
  postMaintenanceUpdate,
  startMaintenance,
  verifyMaintenance,
  type MaintenanceStepInput,
  type MaintenanceUpdateInput,
} from '../commands/maintenance-progress.ts';
import type { PolicyWarning } from '../commands/maintenance-warnings.ts';
import { recordPastMaintenance, recordPastMaintenanceInput, type RecordPastMaintenanceInput } from '../commands/record-past-maintenance.ts';
import { rescheduleMaintenance, rescheduleMaintenanceInput } from '../commands/reschedule-maintenance.ts';
import { scheduleMaintenance, scheduleMaintenanceInput } from '../commands/schedule-maintenance.ts';
import { NotFound } from '../errors.ts';
import { maintenanceDocument } from './documents.ts';
import { apiRoute } from './endpoint.ts';
import { apiError } from './errors.ts';

const READ = ['read', 'maintenance:write'] as const;
const WRITE = ['maintenance:write'] as const;

const scheduleRequest = scheduleMaintenanceInput.omit({ confirmPolicyWarnings: true }).extend({
  /** The `problem` texts of the warnings a previous answer listed. */
  acknowledgeWarnings: z.array(z.string()).optional(),
});
type ScheduleRequest = z.input<typeof scheduleRequest>;

const rescheduleRequest = rescheduleMaintenanceInput.omit({ confirmPolicyWarnings: true }).extend({
  acknowledgeWarnings: z.array(z.string()).optional(),
});
type RescheduleRequest = z.input<typeof rescheduleRequest>;

const sameProblems = (warnings: PolicyWarning[], acknowledged: unknown) =>
  Array.isArray(acknowledged) &&
  new Set(acknowledged).size === warnings.length &&
  warnings.every((w) => acknowledged.includes(w.problem));

const warningsJson = (warnings: PolicyWarning[]) => warnings.map((w) => ({ problem: w.problem, components: w.components }));

export const getMaintenance = apiRoute({
  scopes: READ,
  run: ({ db, params, now }) => ({ body: { maintenance: maintenanceDocument(db, params.id ?? '', now) } }),
});

export const scheduleRoute = apiRoute<ScheduleRequest>({
  scopes: WRITE,
  body: { schema: scheduleRequest, instants: ['scheduledStart', 'scheduledEnd'] },
  run: ({ db, caller, input, now }) => {
    const { acknowledgeWarnings, ...window } = input;
    let result = scheduleMaintenance(db, caller.authority, window, now);
    if (!result.saved && sameProblems(result.warnings, acknowledgeWarnings)) {
      result = scheduleMaintenance(db, caller.authority, { ...window, confirmPolicyWarnings: true }, now);
    }
    if (!result.saved) return policyRefusal(result.warnings, 'schedule');
    return {
      status: 201,
      headers: { Location: `/api/admin/maintenance/${result.publicId}` },
      body: { maintenance: maintenanceDocument(db, result.publicId, now), warnings_acknowledged: warningsJson(result.warnings) },
    };
  },
});

function policyRefusal(warnings: PolicyWarning[], verb: 'schedule' | 'move'): Response {
  const list = warnings.map((w) => w.problem).join(' ');
  return apiError(409, 'policy_warnings', `This window breaks the maintenance policy: ${list} Nothing was saved. To ${verb} it anyway, send the same request with "acknowledge_warnings" listing these problems; a window that breaks the policy is not excused from availability.`, {
    extra: { warnings: warningsJson(warnings) },
  });
}

/**
 * Moves a scheduled window in place (same id, so calendar subscriptions update the event). The
 * new window counts as announced now; a public update says from what to what.
 */
export const rescheduleRoute = apiRoute<RescheduleRequest>({
  scopes: WRITE,
  body: { schema: rescheduleRequest, instants: ['scheduledStart', 'scheduledEnd'] },
  run: ({ db, caller, params, input, now }) => {
    const id = params.id ?? '';
    const { acknowledgeWarnings, ...change } = input;
    let result = rescheduleMaintenance(db, caller.authority, id, change, now);
    if (!result.saved && sameProblems(result.warnings, acknowledgeWarnings)) {
      result = rescheduleMaintenance(db, caller.authority, id, { ...change, confirmPolicyWarnings: true }, now);
    }
    if (!result.saved) return policyRefusal(result.warnings, 'move');
    return {
      body: {
        maintenance: maintenanceDocument(db, id, now),
        update: { id: result.updateId },
        warnings_acknowledged: warningsJson(result.warnings),
      },
    };
  },
});

const STEPS = { start: startMaintenance, verify: verifyMaintenance, complete: completeMaintenance, cancel: cancelMaintenance };

export const stepRoute = apiRoute<MaintenanceStepInput>({
  scopes: WRITE,
  body: { schema: maintenanceStepInput },
  run: ({ db, caller, params, input, now }) => {
    const action = params.action ?? '';
    if (!Object.hasOwn(STEPS, action)) throw new NotFound(`No step "${action}": use start, verify, complete or cancel.`);
    STEPS[action as keyof typeof STEPS](db, caller.authority, params.id ?? '', input, now);
    return { body: { maintenance: maintenanceDocument(db, params.id ?? '', now) } };
  },
});

export const postUpdateRoute = apiRoute<MaintenanceUpdateInput>({
  scopes: WRITE,
  body: { schema: maintenanceUpdateInput },
  run: ({ db, caller, params, input, now }) => {
    const { publicId } = postMaintenanceUpdate(db, caller.authority, params.id ?? '', input, now);
    return { status: 201, body: { update: { id: publicId }, maintenance: maintenanceDocument(db, params.id ?? '', now) } };
  },
});

export const recordPastRoute = apiRoute<RecordPastMaintenanceInput>({
  scopes: WRITE,
  body: { schema: recordPastMaintenanceInput, instants: ['scheduledStart', 'scheduledEnd', 'actualStart', 'actualEnd', 'announcedAt'] },
  run: ({ db, caller, input, now }) => {
    const { publicId } = recordPastMaintenance(db, caller.authority, input, now);
    return { status: 201, headers: { Location: `/api/admin/maintenance/${publicId}` }, body: { maintenance: maintenanceDocument(db, publicId, now) } };
  },
});
