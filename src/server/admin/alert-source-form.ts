// The alert source page's two forms: the label → component rules (intent "rules", saved and
// redirected) and the token rotation (intent "rotate", which stays to show the new token once).
import { rotateAlertSourceToken, setAlertSourceRules, type AlertSourceRulesInput } from '../commands/alert-sources.ts';

import { ruleFieldName, ruleRowsOf, rulesFormInput } from './alert-sources-admin.ts';
import type { FormCall, FormSpec, FormValues } from './handle-form.ts';

type Input = { intent: 'rules'; rules: AlertSourceRulesInput } | { intent: 'rotate' };

function alertSourceInput(form: FormCall): Input {
  if (form.intent === 'rotate') {
    if (!form.checked('confirm')) form.problem('confirm', 'Tick the box to confirm: the sender must then use the new token.');
    return { intent: 'rotate' };
  }
  if (form.intent !== 'rules') form.problem('form', 'Choose “Save rules” or “Rotate token”.');
  const { rules } = rulesFormInput(form);
  return { intent: 'rules', rules: { rules } };
}

export const ALERT_SOURCE_FORM: Omit<FormSpec<never, FormValues, Input, { token: string } | null>, 'load' | 'initial'> = {
  input: alertSourceInput,
  run: ({ db, staff, params, input, now }) => {
    if (input.intent === 'rotate') return rotateAlertSourceToken(db, staff, params.id ?? '', {}, now);
    setAlertSourceRules(db, staff, params.id ?? '', input.rules, now);
    return null;
  },
  // The new token is shown on this response only; saved rules go back to the page.
  redirect: (result, { params }) => (result === null ? `/admin/alerts/${params.id}?done=rules` : null),
  rename: (field, call: FormCall) => (call.intent === 'rules' ? ruleFieldName(field, ruleRowsOf(call.fields)) : field),
};


