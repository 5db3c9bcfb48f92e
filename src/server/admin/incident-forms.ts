// Admin incident forms → commands. Each reads the posted fields (times in the site's zone), runs
// one command as the signed-in staff member, and says what happened in a FormOutcome.
import type { Db } from '../../../db/client.ts';
import type { Authority } from '../commands/authority.ts';
import { correctImpactWindow, type CorrectImpactWindowInput } from '../commands/correct-impact-window.ts';
import { editIncidentUpdate } from '../commands/edit-incident-update.ts';
import { openIncident, type OpenIncidentInput } from '../commands/open-incident.ts';
import { postIncidentUpdate, type PostIncidentUpdateInput } from '../commands/post-incident-update.ts';
import { publishPostmortem, savePostmortemDraft } from '../commands/postmortems.ts';
import { resolveIncident } from '../commands/resolve-incident.ts';
import { loadSite } from '../site.ts';
import { listComponentChoices } from './component-choices.ts';
import { FormReader, isChecked, type FormOutcome, type FormValues } from './form-outcome.ts';

type Level = 'degraded_performance' | 'partial_outage' | 'major_outage';

const reader = (db: Db, values: FormValues) => new FormReader(values, loadSite(db).timeZone);
const orUndefined = (value: string) => (value === '' ? undefined : value);

export function submitOpenIncident(db: Db, authority: Authority, values: FormValues, now: number): FormOutcome<{ publicId: string }> {
  const form = reader(db, values);
  const components = listComponentChoices(db).flatMap((c) => {
    const level = form.text(`level.${c.publicId}`);
    return level === '' || level === 'operational' ? [] : [{ componentId: c.publicId, level: level as Level }];
  });
  const input: OpenIncidentInput = {
    title: form.text('title'),
    impact: orUndefined(form.text('impact')) as OpenIncidentInput['impact'],
    status: (orUndefined(form.text('status')) ?? 'investigating') as OpenIncidentInput['status'],
    message: form.text('message'),
    startedAt: form.instant('startedAt'),
    components,
  };
  return form.attempt(() => openIncident(db, authority, input, now));
}

export function submitIncidentUpdate(db: Db, authority: Authority, incidentPublicId: string, values: FormValues, now: number): FormOutcome<{ publicId: string }> {
  const form = reader(db, values);
  // Only levels changed on this form count: another editor's change meanwhile is not undone.
  const components = Object.keys(values).flatMap((name) => {
    const match = /^level\.(.+)$/.exec(name);
    if (!match || values[`was.${match[1]}`] === values[name]) return [];
    return [{ componentId: match[1]!, level: values[name] as Level | 'operational' }];
  });
  const input: PostIncidentUpdateInput = {
    status: form.text('status') as PostIncidentUpdateInput['status'],
    kind: (orUndefined(form.text('kind')) ?? 'update') as PostIncidentUpdateInput['kind'],
    message: form.text('message'),
    components,
    failoverComplete: form.checked('failoverComplete'),
    mitigatedAt: form.checked('failoverComplete') ? form.instant('mitigatedAt') : undefined,
    customersRestored: form.checked('customersRestored'),
    restoredAt: form.checked('customersRestored') ? form.instant('restoredAt') : undefined,
  };
  return form.attempt(() => postIncidentUpdate(db, authority, incidentPublicId, input, now));
}

export function submitUpdateEdit(db: Db, authority: Authority, updatePublicId: string, values: FormValues, now: number): FormOutcome<{ publicId: string }> {
  const form = reader(db, values);
  return form.attempt(() => editIncidentUpdate(db, authority, updatePublicId, { message: form.text('message') }, now));
}

export function submitResolve(db: Db, authority: Authority, incidentPublicId: string, values: FormValues, now: number): FormOutcome<{ publicId: string }> {
  const form = reader(db, values);
  return form.attempt(() =>
    resolveIncident(db, authority, incidentPublicId, { message: form.text('message'), verifiedEndToEnd: form.checked('verifiedEndToEnd') }, now),
  );
}

/**
 * Rows of the period table (`periods.<row>.component|level|startedAt|endedAt|remove`) that say
 * something: blank rows and rows ticked for removal are left out.
 */
export function periodRowsOf(values: FormValues): number[] {
  const rows = new Set<number>();
  for (const name of Object.keys(values)) {
    const match = /^periods\.(\d+)\.(component|startedAt|endedAt)$/.exec(name);
    if (match && values[name]!.trim() !== '' && !isChecked(values, `periods.${match[1]}.remove`)) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

export function submitImpactCorrection(db: Db, authority: Authority, incidentPublicId: string, values: FormValues, now: number): FormOutcome<{ correctionId: number }> {
  const form = reader(db, values);
  const rows = periodRowsOf(values);
  const periods = rows.map((row) => {
    const component = form.text(`periods.${row}.component`);
    if (component === '') form.problems[`periods.${row}.component`] = 'Choose the component, or clear this row.';
    return {
      componentId: component,
      level: form.text(`periods.${row}.level`) as Level,
      startedAt: form.instant(`periods.${row}.startedAt`) as number,
      endedAt: form.instant(`periods.${row}.endedAt`) ?? null,
    };
  });
  const impactEnded = form.instant('impactEndedAt');
  const input: CorrectImpactWindowInput = {
    reason: form.text('reason'),
    startedAt: form.instant('startedAt') as number,
    mitigatedAt: form.instant('mitigatedAt') ?? null,
    ...(impactEnded === undefined ? {} : { impactEndedAt: impactEnded }),
    periods,
  };
  // The command numbers the periods it was given; the form numbers its rows.
  const rename = (field: string) => field.replace(/^periods\.(\d+)\./, (_, i: string) => `periods.${rows[Number(i)]}.`);
  return form.attempt(() => correctImpactWindow(db, authority, incidentPublicId, input, now), rename);
}

export function submitPostmortem(db: Db, authority: Authority, incidentPublicId: string, values: FormValues, now: number): FormOutcome<'draft' | 'published'> {
  const form = reader(db, values);
  const body = form.text('body');
  if (values.intent === 'publish') {
    return form.attempt(() => {
      publishPostmortem(db, authority, incidentPublicId, { body }, now);
      return 'published' as const;
    });
  }
  return form.attempt(() => {
    savePostmortemDraft(db, authority, incidentPublicId, { body }, now);
    return 'draft' as const;
  });
}

/** A starting point for a post-mortem, so nobody faces a blank page after a long night. */
export const POSTMORTEM_TEMPLATE = `## Summary

## What customers experienced

## Timeline

## Root cause

## What we are changing
`;
