// Admin maintenance forms → commands, like incident-forms.ts: schedule (with policy warnings
// first, then "Schedule anyway" confirms exactly the warnings shown), the next step of a window,
// and reschedule.
import type { Db } from '../../../db/client.ts';
import { formatZonedLocal } from '../../domain/time-zone.ts';
import {
  cancelMaintenance,
  completeMaintenance,
  postMaintenanceUpdate,
  startMaintenance,
  verifyMaintenance,
} from '../commands/maintenance-progress.ts';
import type { PolicyWarning } from '../commands/maintenance-warnings.ts';
import { rescheduleMaintenance, type RescheduleMaintenanceResult } from '../commands/reschedule-maintenance.ts';
import { scheduleMaintenance, type ScheduleMaintenanceResult } from '../commands/schedule-maintenance.ts';
import { Invalid } from '../errors.ts';
import { getMaintenancePage, type MaintenancePage } from '../maintenance-page.ts';
import { loadSite } from '../site.ts';
import { listComponentChoices, type ComponentChoice } from './component-choices.ts';
import type { FormCall, FormValues } from './handle-form.ts';
import { notifyChoice, type FormPart } from './incident-forms.ts';

/**
 * Names exactly the warnings staff saw, so "Schedule anyway" only confirms those: change the
 * window and its new warnings are shown again before anything is saved.
 */
export function fingerprintOf(warnings: PolicyWarning[]): string {
  return warnings.map((w) => `${w.problem} (${w.components.join(', ')})`).join(' | ');
}

/** The window's fields shared by the schedule and reschedule forms. */
function windowInput(form: FormCall) {
  return {
    title: form.text('title'),
    scheduledStart: form.instant('scheduledStart') as number,
    scheduledEnd: form.instant('scheduledEnd') as number,
    components: listComponentChoices(form.db).flatMap((c) => (form.checked(`component.${c.publicId}`) ? [c.publicId] : [])),
  };
}

export function getScheduleMaintenancePage(db: Db): { components: ComponentChoice[]; timeZone: string } {
  return { components: listComponentChoices(db), timeZone: loadSite(db).timeZone };
}

/** "Schedule maintenance": saved, or not yet because of policy warnings (shown, to confirm). */
export const SCHEDULE_FORM: FormPart<ReturnType<typeof windowInput> & { message: string }, ScheduleMaintenanceResult> = {
  preview: 'message',
  input: (form) => ({ ...windowInput(form), message: form.text('message'), notify: notifyChoice(form) }),
  run: ({ db, staff, input, now, intent, fields }) => {
    const first = scheduleMaintenance(db, staff, input, now);
    const confirmed = intent === 'confirm' && fields.acknowledged === fingerprintOf(first.warnings);
    if (first.saved || !confirmed) return first;
    return scheduleMaintenance(db, staff, { ...input, confirmPolicyWarnings: true }, now);
  },
  redirect: (result) => (result.saved ? `/admin/maintenance/${result.publicId}?done=scheduled` : null),
};

export type MaintenanceStep = 'start' | 'verify' | 'complete' | 'cancel' | 'update';
/** "Cancel maintenance" publishes at once, so it first asks, showing the message customers will read. */
export type StepResult = MaintenanceStep | 'confirm-cancel';

const STEPS = { start: startMaintenance, verify: verifyMaintenance, complete: completeMaintenance, cancel: cancelMaintenance };

/** The reschedule form shares its page with the step form, so its message and notify fields have their own names. */
export const RESCHEDULE_MESSAGE_FIELD = 'rescheduleMessage';
export const RESCHEDULE_NOTIFY_FIELD = 'rescheduleNotify';

const isReschedule = (intent: string | null) => intent === 'reschedule' || intent === 'reschedule-confirm';

function runStep(form: FormCall): StepResult {
  const { db, staff, params, now } = form;
  // Only a window that can still be cancelled asks; anything else gets the command's refusal.
  if (form.intent === 'cancel' && getMaintenancePage(db, params.id ?? '', now).maintenance.status === 'scheduled') return 'confirm-cancel';
  const intent = (form.intent === 'cancel-confirm' ? 'cancel' : form.intent) as MaintenanceStep;
  const message = form.text('message').trim();
  const notify = notifyChoice(form);
  if (intent === 'update') postMaintenanceUpdate(db, staff, params.id ?? '', { message, notify }, now);
  else if (Object.hasOwn(STEPS, intent)) STEPS[intent as keyof typeof STEPS](db, staff, params.id ?? '', message === '' ? { notify } : { message, notify }, now);
  else throw new Invalid({ form: 'Choose what to do: start, verify, complete, cancel or post an update.' });
  return intent;
}

function runReschedule(form: FormCall): RescheduleMaintenanceResult {
  const { db, staff, params, now } = form;
  const message = form.text(RESCHEDULE_MESSAGE_FIELD).trim();
  const input = { ...windowInput(form), ...(message === '' ? {} : { message }), notify: notifyChoice(form, RESCHEDULE_NOTIFY_FIELD) };
  const first = rescheduleMaintenance(db, staff, params.id ?? '', input, now);
  const confirmed = form.intent === 'reschedule-confirm' && form.fields.acknowledged === fingerprintOf(first.warnings);
  if (first.saved || !confirmed) return first;
  return rescheduleMaintenance(db, staff, params.id ?? '', { ...input, confirmPolicyWarnings: true }, now);
}

/** The maintenance screen's two forms: the next step (by intent), and reschedule. */
export const MAINTENANCE_SCREEN_FORM: FormPart<FormValues, StepResult | RescheduleMaintenanceResult> = {
  run: (form) => (isReschedule(form.intent) ? runReschedule(form) : runStep(form)),
  redirect: (result, { params }) => {
    if (result === 'confirm-cancel') return null;
    if (typeof result === 'string') return `/admin/maintenance/${params.id}?done=${result}`;
    return result.saved ? `/admin/maintenance/${params.id}?done=reschedule` : null;
  },
  rename: (field, form) => {
    if (!isReschedule(form.intent)) return field;
    return field === 'message' ? RESCHEDULE_MESSAGE_FIELD : field === 'notify' ? RESCHEDULE_NOTIFY_FIELD : field;
  },
};

export const MAINTENANCE_NOTICES: Record<string, string> = {
  scheduled: 'Maintenance scheduled and announced on the status page.',
  start: 'Maintenance started: its components now show “Under maintenance”.',
  verify: 'Marked as verifying.',
  complete: 'Maintenance complete: its components are back to normal.',
  cancel: 'Maintenance cancelled.',
  update: 'Update published.',
  reschedule: 'Maintenance moved: the new window is announced on the status page and in calendar subscriptions.',
  recorded: 'Past maintenance recorded: it is on the status page as completed, and the uptime figures count it.',
};

export interface MaintenanceScreen extends MaintenancePage {
  steps: { intent: MaintenanceStep; label: string }[];
  finished: boolean;
  /** The reschedule form before anything is typed: the window as announced. */
  announced: FormValues;
  componentChoices: ComponentChoice[];
}

export function getMaintenanceScreen(db: Db, publicId: string, now: number): MaintenanceScreen {
  const page = getMaintenancePage(db, publicId, now);
  const { maintenance: m, site } = page;
  const steps = [
    { intent: 'start' as const, label: 'Start now', when: m.status === 'scheduled' },
    { intent: 'verify' as const, label: 'Work done — verifying', when: m.status === 'in_progress' },
    { intent: 'complete' as const, label: 'Complete', when: m.status === 'in_progress' || m.status === 'verifying' },
  ].filter((s) => s.when);
  const announced: FormValues = {
    title: m.title,
    scheduledStart: formatZonedLocal(m.scheduledStart, site.timeZone),
    scheduledEnd: formatZonedLocal(m.scheduledEnd, site.timeZone),
    ...Object.fromEntries(m.components.map((c) => [`component.${c.publicId}`, 'on'])),
  };
  const finished = m.status === 'completed' || m.status === 'cancelled';
  return { ...page, steps, finished, announced, componentChoices: m.status === 'scheduled' ? listComponentChoices(db) : [] };
}

/** Which of the screen's forms a POST came from: its values, errors and warnings are shown there only. */
export function postedForm(intent: string | null): 'step' | 'reschedule' | null {
  return intent === null ? null : isReschedule(intent) ? 'reschedule' : 'step';
}
