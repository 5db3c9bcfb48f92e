// Admin incident forms → command input. Each reads the posted fields (times in the site's zone)
// for handleForm (handle-form.ts); the pages run the command as the signed-in staff member.
import type { Db } from '../../../db/client.ts';
import { MITIGATION_WORDINGS, MITIGATION_WORDS } from '../../domain/status.ts';
import { formatZonedLocal } from '../../domain/time-zone.ts';
import { correctImpactWindow, type CorrectImpactWindowInput } from '../commands/correct-impact-window.ts';
import type { OpenIncidentInput } from '../commands/open-incident.ts';
import { postIncidentUpdate, type PostIncidentUpdateInput } from '../commands/post-incident-update.ts';
import { editIncidentUpdate } from '../commands/edit-incident-update.ts';
import { publishPostmortem, savePostmortemDraft } from '../commands/postmortems.ts';
import { resolveIncident } from '../commands/resolve-incident.ts';
import { Invalid, NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';
import { requireIncidentUpdate } from '../write-api/documents.ts';
import { listComponentChoices, type ComponentChoice } from './component-choices.ts';
import type { FormCall, FormSpec, FormValues } from './handle-form.ts';
import { findUpdateForEdit, getIncidentScreen, type IncidentScreen, type UpdateForEdit } from './incident-screen.ts';

export { IMPACT_LEVEL_OPTIONS, IMPACT_OPTIONS, LEVEL_OPTIONS, OPEN_STATUS_OPTIONS } from './form-options.ts';

type Level = 'degraded_performance' | 'partial_outage' | 'major_outage';

const orUndefined = (value: string) => (value === '' ? undefined : value);

export interface OpenIncidentPage {
  components: ComponentChoice[];
  timeZone: string;
  /** The start time offered before anything is typed: now, in the site's zone. */
  startedAt: string;
}

export function getOpenIncidentPage(db: Db, now: number): OpenIncidentPage {
  const timeZone = loadSite(db).timeZone;
  return { components: listComponentChoices(db), timeZone, startedAt: formatZonedLocal(now, timeZone) };
}

/**
 * The "Notify subscribers" box (NotifySubscribers.astro): unticked means no, but only where the
 * form offered it; otherwise the command's default (`fallback`).
 */
export function notifyChoice(form: FormCall, name = 'notify', fallback = true): boolean {
  return form.text(`${name}Offered`) === '1' ? form.checked(name) : fallback;
}

/** Opening with no component affected is allowed but rarely meant: the form asks once. */
export const NO_COMPONENTS_WARNING =
  'No component is marked as affected: customers will see the incident, but every component as operational, and uptime will not count it. Choose the affected components, or choose “Open without components”.';

export const MITIGATION_WORDING_OPTIONS = MITIGATION_WORDINGS.map((w) => ({ value: w, label: MITIGATION_WORDS[w].choice }));

export function openIncidentInput(form: FormCall): OpenIncidentInput {
  const components = listComponentChoices(form.db).flatMap((c) => {
    const level = form.text(`level.${c.publicId}`);
    return level === '' || level === 'operational' ? [] : [{ componentId: c.publicId, level: level as Level }];
  });
  if (components.length === 0 && form.intent !== 'open-anyway') form.problem('components', NO_COMPONENTS_WARNING);
  return {
    mitigationWording: (orUndefined(form.text('mitigationWording')) ?? 'fix') as OpenIncidentInput['mitigationWording'],
    title: form.text('title'),
    impact: orUndefined(form.text('impact')) as OpenIncidentInput['impact'],
    status: (orUndefined(form.text('status')) ?? 'investigating') as OpenIncidentInput['status'],
    message: form.text('message'),
    startedAt: form.instant('startedAt'),
    displayAt: form.instant('displayAt'),
    components,
    notify: notifyChoice(form),
  };
}

export function incidentUpdateInput(form: FormCall): PostIncidentUpdateInput {
  const values = form.fields;
  // Only levels changed on this form count: another editor's change meanwhile is not undone.
  const components = Object.keys(values).flatMap((name) => {
    const match = /^level\.(.+)$/.exec(name);
    if (!match || values[`was.${match[1]}`] === values[name]) return [];
    return [{ componentId: match[1]!, level: values[name] as Level | 'operational' }];
  });
  return {
    status: form.text('status') as PostIncidentUpdateInput['status'],
    kind: (orUndefined(form.text('kind')) ?? 'update') as PostIncidentUpdateInput['kind'],
    message: form.text('message'),
    components,
    failoverComplete: form.checked('failoverComplete'),
    mitigatedAt: form.checked('failoverComplete') ? form.instant('mitigatedAt') : undefined,
    customersRestored: form.checked('customersRestored'),
    restoredAt: form.checked('customersRestored') ? form.instant('restoredAt') : undefined,
    notify: notifyChoice(form),
    displayAt: form.instant('displayAt'),
  };
}

export function resolveInput(form: FormCall) {
  return { message: form.text('message'), verifiedEndToEnd: form.checked('verifiedEndToEnd'), notify: notifyChoice(form) };
}

/**
 * Rows of the period table (`periods.<row>.component|level|startedAt|endedAt|remove`) that say
 * something: blank rows and rows ticked for removal are left out.
 */
export function periodRowsOf(values: FormValues): number[] {
  const rows = new Set<number>();
  for (const name of Object.keys(values)) {
    const match = /^periods\.(\d+)\.(component|startedAt|endedAt)$/.exec(name);
    const remove = values[`periods.${match?.[1]}.remove`];
    if (match && values[name]!.trim() !== '' && remove !== 'on' && remove !== 'yes') rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

export function impactCorrectionInput(form: FormCall): CorrectImpactWindowInput {
  const periods = periodRowsOf(form.fields).map((row) => {
    const component = form.text(`periods.${row}.component`);
    if (component === '') form.problem(`periods.${row}.component`, 'Choose the component, or clear this row.');
    return {
      componentId: component,
      level: form.text(`periods.${row}.level`) as Level,
      startedAt: form.instant(`periods.${row}.startedAt`) as number,
      endedAt: form.instant(`periods.${row}.endedAt`) ?? null,
    };
  });
  const impactEnded = form.instant('impactEndedAt');
  return {
    notify: notifyChoice(form),
    reason: form.text('reason'),
    startedAt: form.instant('startedAt') as number,
    mitigatedAt: form.instant('mitigatedAt') ?? null,
    ...(impactEnded === undefined ? {} : { impactEndedAt: impactEnded }),
    periods,
  };
}

/** The command numbers the periods it was given; the form numbers its rows. */
export function periodRowName(field: string, form: FormCall): string {
  const rows = periodRowsOf(form.fields);
  return field.replace(/^periods\.(\d+)\./, (_, i: string) => `periods.${rows[Number(i)]}.`);
}

const EXTRA_ROWS = 2;

export interface ImpactCorrectionPage {
  screen: IncidentScreen;
  /** The form before anything is typed: today's moments and periods. */
  current: FormValues;
  /** Today's periods plus blank rows to add more. */
  rowCount: number;
  componentOptions: { value: string; label: string }[];
  /** When customer impact ended today, in the site's zone, or null. */
  lastEnd: string | null;
}

export function getImpactCorrectionPage(db: Db, publicId: string, now: number): ImpactCorrectionPage {
  const screen = getIncidentScreen(db, publicId, now);
  const { incident, site } = screen;
  const local = (at: number | null) => (at === null ? '' : formatZonedLocal(at, site.timeZone));
  const current: FormValues = { startedAt: local(incident.startedAt), mitigatedAt: local(incident.mitigatedAt), impactEndedAt: '', reason: '' };
  const periods = incident.components.flatMap((c) => c.periods.map((p) => ({ ...p, componentId: c.publicId })));
  periods.forEach((p, i) => {
    current[`periods.${i}.component`] = p.componentId;
    current[`periods.${i}.level`] = p.level;
    current[`periods.${i}.startedAt`] = local(p.startedAt);
    current[`periods.${i}.endedAt`] = local(p.endedAt);
  });
  const componentOptions = [{ value: '', label: '— choose —' }, ...screen.components.map((c) => ({ value: c.publicId, label: c.name }))];
  const lastEnd = incident.impactEndedAt === null ? null : local(incident.impactEndedAt);
  return { screen, current, rowCount: periods.length + EXTRA_ROWS, componentOptions, lastEnd };
}

/** The rows to show: as many as were typed after a refusal, else today's plus blank ones. */
export function impactRows(page: ImpactCorrectionPage, posted: boolean, values: FormValues): number[] {
  const typed = Object.keys(values).flatMap((k) => /^periods\.(\d+)\./.exec(k)?.[1] ?? []).map(Number);
  const count = posted ? Math.max(-1, ...typed) + 1 : page.rowCount;
  return Array.from({ length: count }, (_, i) => i);
}

/** Saves the draft, or publishes (intent `publish`); says which, for the notice. */
/** A post-mortem with nothing but headings (the template as it comes) says nothing to customers. */
export function isHeadingsOnly(markdown: string): boolean {
  return markdown.split(/\r?\n/).every((line) => line.trim() === '' || /^\s{0,3}#{1,6}(\s|$)/.test(line));
}

export const EMPTY_POSTMORTEM_WARNING =
  'This post-mortem has only headings: customers would read an empty post-mortem. Write what happened under them, or choose “Publish anyway”.';

export function runPostmortem(form: FormCall): 'draft' | 'published' {
  const { db, staff, params, now } = form;
  const body = { body: form.text('body'), notify: notifyChoice(form) };
  if (form.intent === 'publish' && isHeadingsOnly(body.body) && body.body.trim() !== '') throw new Invalid({ body: EMPTY_POSTMORTEM_WARNING });
  if (form.intent === 'publish' || form.intent === 'publish-anyway') {
    publishPostmortem(db, staff, params.id ?? '', body, now);
    return 'published';
  }
  savePostmortemDraft(db, staff, params.id ?? '', body, now);
  return 'draft';
}

/** A starting point for a post-mortem, so nobody faces a blank page after a long night. */
export const POSTMORTEM_TEMPLATE = `## Summary

## What customers experienced

## Timeline

## Root cause

## What we are changing
`;

export const INCIDENT_NOTICES: Record<string, string> = {
  opened: 'Incident opened and published. Post the next update within 30 minutes, even if nothing changed.',
  posted: 'Update published on the status page.',
  resolved: 'Incident resolved. Consider writing the post-mortem while details are fresh.',
  edited: 'Update text changed. The public page marks it as edited and keeps the earlier version.',
  corrected: 'Impact window corrected. The public page says so, with your reason.',
  published: 'Draft published: the incident is on the status page now, with the proposed component levels from the detection time.',
};

/** Edits one update's text; 404 unless the update belongs to the incident the path names. */
export function runUpdateEdit(form: FormCall): { publicId: string } {
  const { db, staff, params, now } = form;
  requireIncidentUpdate(db, params.id ?? '', params.updateId ?? '');
  // Fixing a typo should not mail everyone again: the box starts unticked (the command's default).
  return editIncidentUpdate(db, staff, params.updateId ?? '', { message: form.text('message'), notify: notifyChoice(form, 'notify', false) }, now);
}

/** The edit page: the incident, and the update being edited (NotFound unless it is one of its). */
export function getUpdateEditPage(db: Db, publicId: string, updatePublicId: string, now: number): { screen: IncidentScreen; target: UpdateForEdit } {
  const screen = getIncidentScreen(db, publicId, now);
  const target = findUpdateForEdit(screen, updatePublicId);
  if (!target) throw new NotFound(`Incident ${publicId} has no update ${updatePublicId}.`);
  return { screen, target };
}

/** A form's part of a handleForm spec, for pages that add only their model (`load`). */
export type FormPart<I, R> = Omit<FormSpec<unknown, FormValues, I, R>, 'load' | 'initial'>;

/** The incident screen's "Post an update" form (PostUpdateForm.astro). */
export const POST_UPDATE_FORM: FormPart<PostIncidentUpdateInput, { publicId: string }> = {
  preview: 'message',
  input: incidentUpdateInput,
  run: ({ db, staff, params, input, now }) => postIncidentUpdate(db, staff, params.id ?? '', input, now),
  redirect: (_, { params }) => `/admin/incidents/${params.id}?done=posted#post-update`,
};

/** The "Correct impact window" form. */
export const IMPACT_CORRECTION_FORM: FormPart<CorrectImpactWindowInput, { correctionId: number }> = {
  input: impactCorrectionInput,
  run: ({ db, staff, params, input, now }) => correctImpactWindow(db, staff, params.id ?? '', input, now),
  redirect: (_, { params }) => `/admin/incidents/${params.id}?done=corrected`,
  rename: periodRowName,
};

/** "Resolve" (the closing message and the end-to-end check). */
export const RESOLVE_FORM: FormPart<ReturnType<typeof resolveInput>, { publicId: string }> = {
  preview: 'message',
  input: resolveInput,
  run: ({ db, staff, params, input, now }) => resolveIncident(db, staff, params.id ?? '', input, now),
  redirect: (_, { params }) => `/admin/incidents/${params.id}?done=resolved`,
};

/** The post-mortem: save the draft, or publish. */
export const POSTMORTEM_FORM: FormPart<FormValues, 'draft' | 'published'> = {
  preview: 'body',
  run: runPostmortem,
  redirect: (done, { params }) => `/admin/incidents/${params.id}/postmortem?done=${done}`,
};

/** Editing one update's text. */
export const EDIT_UPDATE_FORM: FormPart<FormValues, { publicId: string }> = {
  preview: 'message',
  run: runUpdateEdit,
  redirect: ({ publicId }, { params }) => `/admin/incidents/${params.id}?done=edited#update-${publicId}`,
};
