// What an admin form submission came to: done, or refused with what to show beside each field,
// the values as typed (never lost), and the HTTP status the page answers with.
import { Invalid, refusalOf } from '../errors.ts';
import { parseZonedLocal } from '../../domain/time-zone.ts';
import { renderMarkdown } from '../markdown.ts';

export type FormValues = Record<string, string>;

export interface FormFailure {
  ok: false;
  status: number;
  /** Field name → message shown beside it; `form` for the form as a whole. */
  errors: Record<string, string>;
  /** A refusal that concerns no single field (conflict, forbidden). */
  message: string | null;
  values: FormValues;
}

export type FormOutcome<T> = { ok: true; result: T } | FormFailure;

/**
 * A posted form's fields as strings; each name once (checkboxes send "on"). Files are ignored.
 * Reads a clone: the page may still rewrite to /404, which Astro refuses once the body was read.
 */
export async function readForm(request: Request): Promise<FormValues> {
  const form = await request.clone().formData();
  const values: FormValues = {};
  for (const [name, value] of form) if (typeof value === 'string') values[name] = value;
  return values;
}

export function isChecked(values: FormValues, name: string): boolean {
  return values[name] === 'on' || values[name] === 'yes';
}

/**
 * Collects what a form says before a command sees it. Times typed in the site's zone become
 * instants; one that is no real time is a problem of its own, and the command is not run.
 */
export class FormReader {
  readonly problems: Record<string, string> = {};
  constructor(
    readonly values: FormValues,
    private readonly timeZone: string,
  ) {}

  text(name: string): string {
    return this.values[name] ?? '';
  }

  checked(name: string): boolean {
    return isChecked(this.values, name);
  }

  /** Empty → undefined (the command's default applies). */
  instant(name: string): number | undefined {
    const raw = this.text(name).trim();
    if (raw === '') return undefined;
    const parsed = parseZonedLocal(raw, this.timeZone);
    if (parsed === null) {
      this.problems[name] = `"${raw}" is not a date and time. Use the picker, or type it like 2026-03-29T14:05.`;
      return Number.NaN;
    }
    return parsed;
  }

  /** Runs the command; maps refusals to a failure that keeps what was typed. */
  attempt<T>(run: () => T, rename: (field: string) => string = (f) => f): FormOutcome<T> {
    if (Object.keys(this.problems).length > 0) {
      return { ok: false, status: 422, errors: { ...this.problems }, message: null, values: this.values };
    }
    try {
      const result = run();
      return { ok: true, result };
    } catch (error) {
      const refusal = refusalOf(error);
      const errors = Object.fromEntries(Object.entries(refusal.fields).map(([k, v]) => [rename(k), v]));
      return { ok: false, status: refusal.status, errors, message: refusal instanceof Invalid ? null : refusal.message, values: this.values };
    }
  }
}

/** The server-rendered preview of a markdown field (the same rendering that will be stored). */
export function previewOf(source: string): string {
  return renderMarkdown(source);
}

export interface MarkdownFormState {
  values: FormValues;
  failure: FormFailure | null;
  preview: string | null;
  /** Where to go after a successful submission (redirect-after-POST). */
  redirect: string | null;
}

export const UNSUBMITTED: MarkdownFormState = { values: {}, failure: null, preview: null, redirect: null };

/**
 * A posted form with a markdown field: the "Preview" intent re-renders the text without
 * saving; otherwise the command runs, and a refusal keeps every typed value.
 */
export async function handleMarkdownForm<T>(
  request: Request,
  previewField: string,
  submit: (values: FormValues) => FormOutcome<T>,
  redirectTo: (result: T) => string,
): Promise<MarkdownFormState> {
  const values = await readForm(request);
  if (values.intent === 'preview') return { ...UNSUBMITTED, values, preview: previewOf(values[previewField] ?? '') };
  const outcome = submit(values);
  if (outcome.ok) return { ...UNSUBMITTED, values, redirect: redirectTo(outcome.result) };
  return { ...UNSUBMITTED, values, failure: outcome };
}
