// Admin maintenance forms → commands, like incident-forms.ts.
import type { Db } from '../../../db/client.ts';
import type { Authority } from '../commands/authority.ts';
import {
  cancelMaintenance,
  completeMaintenance,
  postMaintenanceUpdate,
  startMaintenance,
  verifyMaintenance,
} from '../commands/maintenance-progress.ts';
import type { PolicyWarning } from '../commands/maintenance-warnings.ts';
import { scheduleMaintenance, type ScheduleMaintenanceResult } from '../commands/schedule-maintenance.ts';
import { Invalid } from '../errors.ts';
import { loadSite } from '../site.ts';
import { listComponentChoices } from './component-choices.ts';
import { FormReader, type FormOutcome, type FormValues } from './form-outcome.ts';

/**
 * Names exactly the warnings staff saw, so "Schedule anyway" only confirms those: change the
 * window and its new warnings are shown again before anything is saved.
 */
export function fingerprintOf(warnings: PolicyWarning[]): string {
  return warnings.map((w) => `${w.problem} (${w.components.join(', ')})`).join(' | ');
}

export function submitScheduleMaintenance(db: Db, authority: Authority, values: FormValues, now: number): FormOutcome<ScheduleMaintenanceResult> {
  const form = new FormReader(values, loadSite(db).timeZone);
  const input = {
    title: form.text('title'),
    scheduledStart: form.instant('scheduledStart') as number,
    scheduledEnd: form.instant('scheduledEnd') as number,
    components: listComponentChoices(db).flatMap((c) => (form.checked(`component.${c.publicId}`) ? [c.publicId] : [])),
    message: form.text('message'),
  };
  return form.attempt(() => {
    const first = scheduleMaintenance(db, authority, input, now);
    const confirmed = values.intent === 'confirm' && values.acknowledged === fingerprintOf(first.warnings);
    if (first.saved || !confirmed) return first;
    return scheduleMaintenance(db, authority, { ...input, confirmPolicyWarnings: true }, now);
  });
}

export type MaintenanceStep = 'start' | 'verify' | 'complete' | 'cancel' | 'update';

const STEPS = { start: startMaintenance, verify: verifyMaintenance, complete: completeMaintenance, cancel: cancelMaintenance };

export function submitMaintenanceStep(db: Db, authority: Authority, publicId: string, values: FormValues, now: number): FormOutcome<MaintenanceStep> {
  const form = new FormReader(values, loadSite(db).timeZone);
  const intent = values.intent as MaintenanceStep;
  const message = form.text('message').trim();
  return form.attempt(() => {
    if (intent === 'update') {
      postMaintenanceUpdate(db, authority, publicId, { message }, now);
    } else if (Object.hasOwn(STEPS, intent)) {
      STEPS[intent](db, authority, publicId, message === '' ? {} : { message }, now);
    } else {
      throw new Invalid({ form: 'Choose what to do: start, verify, complete, cancel or post an update.' });
    }
    return intent;
  });
}
