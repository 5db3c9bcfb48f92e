// The workspace's "Reschedule" form → rescheduleMaintenance, like submitScheduleMaintenance:
// policy warnings first, then "Move anyway" confirms exactly the warnings that were shown.
import type { Db } from '../../../db/client.ts';
import type { Authority } from '../commands/authority.ts';
import { rescheduleMaintenance, type RescheduleMaintenanceResult } from '../commands/reschedule-maintenance.ts';
import { loadSite } from '../site.ts';
import { listComponentChoices } from './component-choices.ts';
import { FormReader, type FormOutcome, type FormValues } from './form-outcome.ts';
import { fingerprintOf } from './maintenance-forms.ts';

/** The form shares its page with the step form, so its message field has its own name. */
export const RESCHEDULE_MESSAGE_FIELD = 'rescheduleMessage';

export function submitRescheduleMaintenance(
  db: Db,
  authority: Authority,
  publicId: string,
  values: FormValues,
  now: number,
): FormOutcome<RescheduleMaintenanceResult> {
  const form = new FormReader(values, loadSite(db).timeZone);
  const message = form.text(RESCHEDULE_MESSAGE_FIELD).trim();
  const input = {
    title: form.text('title'),
    scheduledStart: form.instant('scheduledStart') as number,
    scheduledEnd: form.instant('scheduledEnd') as number,
    components: listComponentChoices(db).flatMap((c) => (form.checked(`component.${c.publicId}`) ? [c.publicId] : [])),
    ...(message === '' ? {} : { message }),
  };
  return form.attempt(
    () => {
      const first = rescheduleMaintenance(db, authority, publicId, input, now);
      const confirmed = values.intent === 'reschedule-confirm' && values.acknowledged === fingerprintOf(first.warnings);
      if (first.saved || !confirmed) return first;
      return rescheduleMaintenance(db, authority, publicId, { ...input, confirmPolicyWarnings: true }, now);
    },
    (field) => (field === 'message' ? RESCHEDULE_MESSAGE_FIELD : field),
  );
}
