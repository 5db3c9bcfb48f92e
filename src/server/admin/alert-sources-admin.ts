// The workspace's alert sources: the list with the create form, and one source with its rules,
// its token rotation and the recent alerts with the incidents (drafts or published) they opened.
// Every staff member may look; only owners change anything (the commands check).
import { desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import type { IncidentLevel, IncidentStatus } from '../../domain/status.ts';
import type { AlertSourceKind } from '../alerts/parse-alerts.ts';
import type { AlertRule, AlertSourceRulesInput, CreateAlertSourceInput } from '../commands/alert-sources.ts';
import { NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';
import { listComponentChoices, type ComponentChoice } from './component-choices.ts';
import type { FormCall, FormValues } from './handle-form.ts';

export const ALERT_SOURCE_KIND_OPTIONS: { value: AlertSourceKind; label: string }[] = [
  { value: 'alertmanager', label: 'Prometheus Alertmanager (webhook v4)' },
  { value: 'grafana', label: 'Grafana alerting (webhook contact point)' },
  { value: 'uptime_kuma', label: 'Uptime Kuma (webhook, JSON body)' },
  { value: 'generic', label: 'Generic JSON' },
];
const kindLabel = (kind: AlertSourceKind) => ALERT_SOURCE_KIND_OPTIONS.find((o) => o.value === kind)!.label;

/** Blank rule rows offered under the saved ones. */
export const BLANK_RULE_ROWS = 3;

export interface AlertSourceListing {
  publicId: string;
  name: string;
  slug: string;
  kindLabel: string;
  urlPath: string;
  ruleCount: number;
  firing: number;
  lastAlertAt: number | null;
}

/** Components and whether alerts set their level by themselves (the automatic-levels form). */
export function listAlertLevelChoices(db: Db): (ComponentChoice & { enabled: boolean })[] {
  const enabled = new Set(db.select({ id: s.components.publicId }).from(s.components).where(eq(s.components.alertLevels, true)).all().map((r) => r.id));
  return listComponentChoices(db).map((c) => ({ ...c, enabled: enabled.has(c.publicId) }));
}

export function getAlertSourcesPage(db: Db): { sources: AlertSourceListing[]; timeZone: string; levels: (ComponentChoice & { enabled: boolean })[] } {
  const rows = db.select().from(s.alertSources).orderBy(s.alertSources.name).all();
  const stats = rows.length
    ? db
        .select({
          sourceId: s.alerts.sourceId,
          firing: sql<number>`sum(case when ${s.alerts.status} = 'firing' then 1 else 0 end)`,
          last: max(s.alerts.lastReceivedAt),
        })
        .from(s.alerts)
        .where(inArray(s.alerts.sourceId, rows.map((r) => r.id)))
        .groupBy(s.alerts.sourceId)
        .all()
    : [];
  return {
    timeZone: loadSite(db).timeZone,
    levels: listAlertLevelChoices(db),
    sources: rows.map((r) => {
      const stat = stats.find((x) => x.sourceId === r.id);
      return {
        publicId: r.publicId,
        name: r.name,
        slug: r.slug,
        kindLabel: kindLabel(r.kind),
        urlPath: `/api/alerts/${r.slug}`,
        ruleCount: (JSON.parse(r.rules) as AlertRule[]).length,
        firing: Number(stat?.firing ?? 0),
        lastAlertAt: stat?.last ?? null,
      };
    }),
  };
}

export interface RecentAlert {
  title: string;
  status: 'firing' | 'resolved';
  labels: string;
  startsAt: number;
  endsAt: number | null;
  incident: { publicId: string; title: string; draft: boolean; status: IncidentStatus } | null;
}

export interface AlertSourcePage {
  source: AlertSourceListing & { rules: (AlertRule & { componentName: string })[] };
  components: ComponentChoice[];
  alerts: RecentAlert[];
  timeZone: string;
}

/** How many of a source's latest alerts the page lists. */
export const RECENT_ALERTS = 50;

export function getAlertSourcePage(db: Db, publicId: string): AlertSourcePage {
  const row = db.select().from(s.alertSources).where(eq(s.alertSources.publicId, publicId)).get();
  if (!row) throw new NotFound('No such alert source.');
  const listing = getAlertSourcesPage(db).sources.find((x) => x.publicId === publicId)!;
  const components = listComponentChoices(db);
  const alerts = db
    .select({
      title: s.alerts.title,
      status: s.alerts.status,
      labels: s.alerts.labels,
      startsAt: s.alerts.startsAt,
      endsAt: s.alerts.endsAt,
      incidentPublicId: s.incidents.publicId,
      incidentTitle: s.incidents.title,
      draft: s.incidents.draft,
      incidentStatus: s.incidents.status,
    })
    .from(s.alerts)
    .leftJoin(s.incidents, eq(s.incidents.id, s.alerts.incidentId))
    .where(eq(s.alerts.sourceId, row.id))
    .orderBy(desc(s.alerts.startsAt), desc(s.alerts.id))
    .limit(RECENT_ALERTS)
    .all();
  return {
    source: {
      ...listing,
      rules: (JSON.parse(row.rules) as AlertRule[]).map((r) => ({ ...r, componentName: components.find((c) => c.publicId === r.componentId)?.name ?? 'a removed component' })),
    },
    components,
    timeZone: loadSite(db).timeZone,
    alerts: alerts.map((a) => ({
      title: a.title,
      status: a.status,
      labels: Object.entries(JSON.parse(a.labels) as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      incident:
        a.incidentPublicId === null
          ? null
          : { publicId: a.incidentPublicId, title: a.incidentTitle!, draft: a.draft!, status: a.incidentStatus! },
    })),
  };
}

export function createAlertSourceFormInput(form: FormCall): CreateAlertSourceInput {
  return { name: form.text('name'), slug: form.text('slug'), kind: form.text('kind') as AlertSourceKind };
}

/**
 * What a source's page shows of its two forms: each form's own problems, the rule table's values
 * (as posted after a refusal, else as saved), how many rows (saved ones, then blank ones) and the
 * component choices.
 */
export function alertSourceFormView(model: AlertSourcePage, state: { posted: string | null; values: FormValues; errors: Record<string, string> }) {
  const shown = state.posted === 'rules' ? state.values : ruleFormValues(model);
  const savedRows = Object.keys(shown).filter((k) => /^rules\.\d+\.label$/.test(k)).map((k) => Number(k.split('.')[1]));
  return {
    rulesErrors: state.posted === 'rules' ? state.errors : {},
    rotateErrors: state.posted === 'rotate' ? state.errors : {},
    shown,
    rowCount: Math.max(model.source.rules.length, ...savedRows.map((n) => n + 1), 0) + BLANK_RULE_ROWS,
    componentOptions: [{ value: '', label: 'Choose…' }, ...model.components.map((c) => ({ value: c.publicId, label: c.group ? `${c.group} · ${c.name}` : c.name }))],
  };
}

/** The rule table as the form shows it: saved rules, then blank rows. */
export function ruleFormValues(page: AlertSourcePage): FormValues {
  const values: FormValues = {};
  page.source.rules.forEach((r, i) => {
    values[`rules.${i}.label`] = r.label;
    values[`rules.${i}.value`] = r.value;
    values[`rules.${i}.component`] = r.componentId;
    values[`rules.${i}.level`] = r.level;
  });
  return values;
}

/** Rows of the rule table that say something; blank rows and rows ticked for removal are left out. */
export function ruleRowsOf(values: FormValues): number[] {
  const rows = new Set<number>();
  for (const name of Object.keys(values)) {
    const match = /^rules\.(\d+)\.(label|value)$/.exec(name);
    const remove = values[`rules.${match?.[1]}.remove`];
    if (match && values[name]!.trim() !== '' && remove !== 'on') rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

/** The command numbers the rules it was sent; the form's row numbers may differ (blank rows). */
export function rulesFormInput(form: FormCall): AlertSourceRulesInput & { rows: number[] } {
  const rows = ruleRowsOf(form.fields);
  return {
    rows,
    rules: rows.map((row) => {
      const component = form.text(`rules.${row}.component`);
      if (component === '') form.problem(`rules.${row}.component`, 'Choose the component, or clear this row.');
      return {
        label: form.text(`rules.${row}.label`),
        value: form.text(`rules.${row}.value`),
        componentId: component,
        level: form.text(`rules.${row}.level`) as IncidentLevel,
      };
    }),
  };
}

/** `rules.<n>.componentId` of the command → `rules.<row>.component` of the form. */
export function ruleFieldName(field: string, rows: number[]): string {
  const match = /^rules\.(\d+)\.(\w+)$/.exec(field);
  if (!match) return field;
  const row = rows[Number(match[1])] ?? Number(match[1]);
  return `rules.${row}.${match[2] === 'componentId' ? 'component' : match[2]}`;
}
