// The one path every workspace page takes, shaped like the write API's `apiRoute`: check the role;
// on POST read the form, turn it into the command's input, run the command and either redirect
// (303, redirect-after-POST) or keep every typed value and answer with the refusal's status from
// the error table (errors.ts); then load the page model (NotFound → the 404 page). The model is
// loaded after the command, so a page that stays (a token shown once) shows what it wrote.
import { STATUS_CODES } from 'node:http';
import type { AstroGlobal } from 'astro';
import type { Db } from '../../../db/client.ts';
import { parseZonedLocal } from '../../domain/time-zone.ts';
import { hasRole, type Role, type Staff } from '../auth/staff.ts';
import { getDb } from '../db.ts';
import { Invalid, NotFound, refusalOf } from '../errors.ts';
import { refusalResponse } from '../http/refusal.ts';
import { renderMarkdown } from '../markdown.ts';
import { loadSite } from '../site.ts';

/** A posted form's text fields, each name once (checkboxes send "on"). */
export type FormValues = Record<string, string>;

/** What every step of a page sees. */
export interface PageContext {
  db: Db;
  /** The signed-in staff member (the admin guard lets nobody else reach a workspace page). */
  staff: Staff;
  params: Record<string, string | undefined>;
  url: URL;
  now: number;
  astro: AstroGlobal;
}

/** A posted form, as the spec's `input` and `run` see it. */
export interface FormCall<V = FormValues> extends PageContext {
  /** The form as the page shows it again (`read`, or the text fields). */
  values: V;
  /** The raw text fields. */
  fields: FormValues;
  /** Which submit button was pressed (`name="intent"`), '' when none. */
  intent: string;
  text(name: string): string;
  /** The named text fields ('' when absent), e.g. as a command's input. */
  texts<K extends string>(...names: K[]): Record<K, string>;
  checked(name: string): boolean;
  /** Every value of a repeated field (ticked checkboxes sharing a name). */
  all(name: string): string[];
  /** A time typed in the site's zone: empty → undefined; not a time → a problem on that field. */
  instant(name: string): number | undefined;
  /** A problem found before the command runs: the command is not run, the form is shown again. */
  problem(field: string, message: string): void;
}

export interface FormSpec<M, V, I, R> {
  /** The page model; a NotFound here answers with the 404 page. */
  load?: (page: PageContext) => M;
  /** The least role for the page; anyone else gets a 403 page with this refusal. */
  requires?: { role: Role; refusal: string };
  /** The form's values before anything was posted (default: empty). */
  initial?: (model: M, page: PageContext) => V;
  /** Reads the posted form for showing again (default: its text fields). */
  read?: (form: FormData) => V;
  /** The markdown field that the "Preview" button (`intent=preview`) renders without saving. */
  preview?: string;
  /** The command's input from the form (default: the text fields; commands' zod schemas ignore the rest). */
  input?: (call: FormCall<V>) => I;
  /** Runs the command; throw the typed errors (errors.ts) as commands do. Without `run`, the page has no form. */
  run?: (call: FormCall<V> & { input: I }) => R | Promise<R>;
  /** Where to go after success; null stays on the page and shows `result` (e.g. policy warnings). */
  redirect?: (result: R, call: FormCall<V>) => string | null;
  /** Command field name → form field name, where they differ. */
  rename?: (field: string, call: FormCall<V>) => string;
}

export interface FormState<M, V, R> {
  model: M;
  staff: Staff;
  /** Posted values after a refusal or a preview; the initial values otherwise. */
  values: V;
  /** Field name → message, shown beside the field. */
  errors: Record<string, string>;
  /** A refusal about the form as a whole (conflict, forbidden, or a `form` problem). */
  message: string | null;
  /** The refusal's HTTP status (errors.ts), or null. */
  status: number | null;
  /** The rendered markdown of the preview field after "Preview". */
  preview: string | null;
  /** The intent of the form that was posted, or null on GET. */
  posted: string | null;
  /** What `run` returned when `redirect` said to stay. */
  result: R | null;
}

/**
 * Runs a workspace page. Returns a Response to send as is (redirect, 404, 403), or the state to
 * render.
 *
 * @example
 * ---
 * import GroupForm from '../../../../components/admin/GroupForm.astro';
 * import { getGroupForm } from '../../../../server/admin/components-admin.ts';
 * import { handleForm } from '../../../../server/admin/handle-form.ts';
 * import { updateGroup } from '../../../../server/commands/groups.ts';
 *
 * const page = await handleForm(Astro, {
 *   load: ({ db, params }) => getGroupForm(db, params.id ?? ''),   // NotFound → 404 page
 *   initial: (group) => group,                                     // the form before a POST
 *   input: (form) => form.texts('name', 'description'),            // form → the command's input
 *   run: ({ db, staff, params, input, now }) => updateGroup(db, staff, params.id ?? '', input, now),
 *   redirect: (_, { params }) => `/admin/components?saved=1#item-${params.id}`,
 * });
 * if (page instanceof Response) return page;
 * ---
 * <FormProblems message={page.message} errors={page.errors} />
 * <GroupForm values={page.values} errors={page.errors} />
 */
export async function handleForm<M = null, V = FormValues, I = FormValues, R = unknown>(
  astro: AstroGlobal,
  spec: FormSpec<M, V, I, R>,
): Promise<Response | FormState<M, V, R>> {
  const signedIn = astro.locals.staff;
  const context = withStaff({ db: getDb(), params: astro.params, url: astro.url, now: Date.now(), astro }, signedIn);
  if (spec.requires && !hasRole(signedIn, spec.requires.role)) return refusalResponse('page', 403, spec.requires.refusal);
  const posted: Omit<FormState<M, V, R>, 'model' | 'staff' | 'values'> & { values: V | null } = {
    values: null,
    errors: {},
    message: null,
    status: null,
    preview: null,
    posted: null,
    result: null,
  };
  if (astro.request.method === 'POST' && spec.run) {
    // A clone: the page may still rewrite to /404, which Astro refuses once the body was read.
    const form = await astro.request.clone().formData();
    const call = formCall(context, form, spec.read ? spec.read(form) : (textFields(form) as V));
    posted.values = call.values;
    posted.posted = call.intent;
    if (spec.preview && call.intent === 'preview') {
      posted.preview = renderMarkdown(call.text(spec.preview));
    } else {
      try {
        const input = spec.input ? spec.input(call) : (call.fields as I);
        if (Object.keys(call.problems).length > 0) throw new Invalid(call.problems);
        const result = await spec.run(Object.assign(call, { input }));
        const target = spec.redirect ? spec.redirect(result, call) : null;
        if (target !== null) return astro.redirect(target, 303);
        posted.result = result;
      } catch (error) {
        const refusal = refusalOf(error);
        const rename = spec.rename ?? ((field: string) => field);
        const { form: whole, ...fields } = refusal.fields;
        posted.errors = Object.fromEntries(Object.entries(fields).map(([name, message]) => [rename(name, call), message]));
        posted.message = refusal instanceof Invalid ? (whole ?? null) : refusal.message;
        posted.status = astro.response.status = refusal.status;
        if (refusal.retryAfterSeconds !== null) astro.response.headers.set('Retry-After', String(refusal.retryAfterSeconds));
        // "422 Unprocessable Entity", not "422 OK": Astro keeps the default text otherwise.
        astro.response.statusText = STATUS_CODES[refusal.status] ?? '';
      }
    }
  }
  let model: M;
  try {
    model = spec.load ? spec.load(context) : (null as M);
  } catch (error) {
    if (error instanceof NotFound) return astro.rewrite('/404');
    throw error;
  }
  const values = posted.values ?? (spec.initial ? spec.initial(model, context) : ({} as V));
  return withStaff({ ...posted, model, values }, signedIn);
}

/** `staff` for the signed-in pages; reading it on the sign-in page (nobody signed in) is a bug. */
function withStaff<T extends object>(target: T, staff: Staff | null): T & { staff: Staff } {
  return Object.defineProperty(target, 'staff', {
    enumerable: false,
    get(): Staff {
      if (!staff) throw new Error('A workspace page read the staff member, but nobody is signed in.');
      return staff;
    },
  }) as T & { staff: Staff };
}

function textFields(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [name, value] of form) if (typeof value === 'string' && !(name in values)) values[name] = value;
  return values;
}

function formCall<V>(context: PageContext, form: FormData, values: V): FormCall<V> & { problems: Record<string, string> } {
  const fields = textFields(form);
  const problems: Record<string, string> = {};
  const text = (name: string) => fields[name] ?? '';
  let timeZone: string | null = null;
  return Object.assign(Object.create(context) as PageContext, {
    values,
    fields,
    problems,
    intent: text('intent'),
    text,
    texts: <K extends string>(...names: K[]) => Object.fromEntries(names.map((name) => [name, text(name)])) as Record<K, string>,
    checked: (name: string) => fields[name] === 'on' || fields[name] === 'yes',
    all: (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string'),
    instant(name: string) {
      const raw = text(name).trim();
      if (raw === '') return undefined;
      timeZone ??= loadSite(context.db).timeZone;
      const parsed = parseZonedLocal(raw, timeZone);
      if (parsed !== null) return parsed;
      problems[name] = `"${raw}" is not a date and time. Use the picker, or type it like 2026-03-29T14:05.`;
      return Number.NaN;
    },
    problem(field: string, message: string) {
      problems[field] = message;
    },
  } satisfies Omit<FormCall<V>, keyof PageContext> & { problems: Record<string, string> });
}
