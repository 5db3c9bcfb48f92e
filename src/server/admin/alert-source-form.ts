// The alert sources' workspace forms. The list page (/admin/alerts): a new source (which stays to
// show its token once) and the components whose level alerts may set (intent "levels"). A source's
// page: the label → component rules (intent "rules", saved and redirected) and the token rotation
// (intent "rotate", which stays to show the new token once).
import { createAlertSource, rotateAlertSourceToken, setAlertSourceRules, type AlertSourceRulesInput, type CreateAlertSourceInput } from '../commands/alert-sources.ts';
import { setAlertLevelComponents } from '../commands/component-alert-levels.ts';
import { createAlertSourceFormInput, listAlertLevelChoices, ruleFieldName, ruleRowsOf, rulesFormInput } from './alert-sources-admin.ts';
import type { FormCall, FormSpec, FormValues } from './handle-form.ts';

type ListInput = { levels: string[] } | { create: CreateAlertSourceInput };

type Created = { publicId: string; token: string; slug: string };

export const ALERT_SOURCES_FORM: Omit<FormSpec<never, FormValues, ListInput, Created | ReturnType<typeof setAlertLevelComponents>>, 'load' | 'initial'> = {
  input: (form) =>
    form.intent === 'levels'
      ? { levels: listAlertLevelChoices(form.db).flatMap((c) => (form.checked(`level.${c.publicId}`) ? [c.publicId] : [])) }
      : { create: createAlertSourceFormInput(form) },
  run: ({ db, staff, input, now }) => {
    if ('levels' in input) return setAlertLevelComponents(db, staff, { componentIds: input.levels }, now);
    return { ...createAlertSource(db, staff, input.create, now), slug: input.create.slug.trim().toLowerCase() };
  },
  // The token is shown on this response only: never stored in clear, never put in a URL.
  redirect: (_, { intent }) => (intent === 'levels' ? '/admin/alerts?done=levels#levels-h' : null),
};

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


