// The policy form's fields as the command takes them: text, and the ticked weekdays as a list.
import { formTexts } from './form-text.ts';

export function readPolicyForm(form: FormData): Record<string, string | string[]> {
  const allowedDays = form.getAll('allowedDays').filter((v): v is string => typeof v === 'string');
  return { ...formTexts(form), allowedDays };
}
