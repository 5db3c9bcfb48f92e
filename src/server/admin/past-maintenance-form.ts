// "Record a past maintenance window": the workspace form over recordPastMaintenance, the command
// the write API's POST /api/admin/maintenance/past runs. Whether customers were told beforehand is
// asked outright: an unannounced window is recorded as announced now, so it is never excused.
import { checkPastMaintenance, recordPastMaintenance, type RecordPastMaintenanceInput } from '../commands/record-past-maintenance.ts';
import { listComponentChoices } from './component-choices.ts';
import type { FormCall, FormSpec, FormValues } from './handle-form.ts';

export const ANNOUNCED_OPTIONS = [
  { value: 'no', label: 'No: it was not announced beforehand (it counts as downtime)' },
  { value: 'yes', label: 'Yes: customers were told (give when)' },
];

/** The command's input, and the form's own problems (named with the command's, not before them). */
interface PastMaintenanceForm {
  input: RecordPastMaintenanceInput;
  problems: Record<string, string>;
}

export function pastMaintenanceInput(form: FormCall): PastMaintenanceForm {
  const problems: Record<string, string> = {};
  const announced = form.text('announced');
  if (announced !== 'yes' && announced !== 'no') problems.announced = 'Say whether customers were told before the window.';
  const announcedAt = announced === 'yes' ? form.instant('announcedAt') : null;
  if (announced === 'yes' && announcedAt === undefined) problems.announcedAt = 'Enter when customers were told, or choose “No” above.';
  return {
    problems,
    input: {
      title: form.text('title'),
      scheduledStart: form.instant('scheduledStart') as number,
      scheduledEnd: form.instant('scheduledEnd') as number,
      actualStart: form.instant('actualStart'),
      actualEnd: form.instant('actualEnd'),
      announcedAt: announcedAt ?? null,
      components: listComponentChoices(form.db).flatMap((c) => (form.checked(`component.${c.publicId}`) ? [c.publicId] : [])),
      message: form.text('message'),
    },
  };
}

export const PAST_MAINTENANCE_FORM: Omit<FormSpec<unknown, FormValues, PastMaintenanceForm, { publicId: string }>, 'load'> = {
  preview: 'message',
  requires: { role: 'editor', refusal: 'Viewers cannot record maintenance. Ask an editor or owner.' },
  initial: () => ({ announced: 'no' }),
  input: pastMaintenanceInput,
  run: ({ db, staff, input: { input, problems }, now }) => {
    if (Object.keys(problems).length > 0) checkPastMaintenance(input, now, problems);
    return recordPastMaintenance(db, staff, input, now);
  },
  redirect: ({ publicId }) => `/admin/maintenance/${publicId}?done=recorded`,
};
