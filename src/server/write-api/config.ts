// Set-up endpoints of the admin API (scope config:write): components, groups, SLA policies and
// site settings, so a site can be provisioned by script. They call the workspace's own commands.
// The commands take the forms' fields; the API speaks nested JSON with units in the names
// (`availability_target_percent`), so bodies are translated here and error fields back. PATCH
// starts from the stored values (as the edit form shows them) and changes only what is sent.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { getComponentForm, getGroupForm } from '../admin/components-admin.ts';
import { getPolicyForm } from '../admin/policies-admin.ts';
import { getSettingsForm } from '../admin/settings-admin.ts';
import { createComponent, updateComponent, type ComponentInput } from '../commands/components.ts';
import { createGroup, updateGroup, type GroupInput } from '../commands/groups.ts';
import { createPolicy, TIER_ROWS, updatePolicy, type PolicyInput } from '../commands/policies.ts';
import { updateSiteSettings, type SettingsInput } from '../commands/settings.ts';
import { iso } from '../api/status-api-objects.ts';
import { Invalid, NotFound } from '../errors.ts';
import { loadSlaPolicies, type SlaPolicy } from '../site.ts';
import { apiRoute } from './endpoint.ts';

const READ = ['read', 'config:write'] as const;
const WRITE = ['config:write'] as const;
const any = z.unknown();
const param = (params: Record<string, string | undefined>) => params.id ?? '';

/** Form text for a JSON value: null clears a field, numbers and text pass as text. */
const text = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value));

/** Runs `fn`; an Invalid comes back with the API's field names. */
function renamed<T>(fields: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const rename = (name: string) => {
      for (const [from, to] of Object.entries(fields)) {
        if (name === from) return to;
        if (name.startsWith(`${from}.`)) return `${to}${name.slice(from.length)}`;
      }
      return name;
    };
    throw new Invalid(Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [rename(k), v])));
  }
}

// ---------------------------------------------------------------- components

const componentBody = z.object({ name: any, slug: any, description: any, groupId: any, startDate: any, slaPolicyId: any });
type ComponentBody = z.input<typeof componentBody>;
const COMPONENT_FIELDS = { group: 'group_id', slaPolicy: 'sla_policy_id' };

function componentInput(body: ComponentBody, base: Record<string, string>): ComponentInput {
  const has = (k: keyof ComponentBody) => Object.hasOwn(body, k);
  return {
    name: has('name') ? text(body.name) : (base.name ?? ''),
    slug: has('slug') ? text(body.slug) : (base.slug ?? ''),
    description: has('description') ? text(body.description) : (base.description ?? ''),
    group: has('groupId') ? text(body.groupId) : (base.group ?? ''),
    startDate: has('startDate') ? text(body.startDate) : (base.startDate ?? ''),
    slaPolicy: has('slaPolicyId') ? text(body.slaPolicyId) : (base.slaPolicy ?? ''),
  };
}

export function componentDocument(db: Db, publicId: string) {
  const row = db
    .select({ c: s.components, group: s.componentGroups.publicId, policy: s.slaPolicies.publicId })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .leftJoin(s.slaPolicies, eq(s.slaPolicies.id, s.components.slaPolicyId))
    .where(eq(s.components.publicId, publicId))
    .get();
  if (!row) throw new NotFound(`No component ${publicId}.`);
  const { c } = row;
  return {
    id: c.publicId,
    slug: c.slug,
    name: c.name,
    description: c.description,
    group_id: row.group,
    start_date: c.startDate,
    sla_policy_id: row.policy,
    position: c.position,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  };
}

export const listComponentsRoute = apiRoute({
  scopes: READ,
  run: ({ db }) => ({
    body: { components: db.select({ id: s.components.publicId }).from(s.components).orderBy(asc(s.components.id)).all().map((r) => componentDocument(db, r.id)) },
  }),
});

export const createComponentRoute = apiRoute<ComponentBody>({
  scopes: WRITE,
  body: { schema: componentBody },
  run: ({ db, caller, input, now }) => {
    const id = renamed(COMPONENT_FIELDS, () => createComponent(db, caller.authority, componentInput(input, {}), now));
    return { status: 201, headers: { Location: `/api/admin/components/${id}` }, body: { component: componentDocument(db, id) } };
  },
});

export const getComponentRoute = apiRoute({ scopes: READ, run: ({ db, params }) => ({ body: { component: componentDocument(db, param(params)) } }) });

export const patchComponentRoute = apiRoute<ComponentBody>({
  scopes: WRITE,
  body: { schema: componentBody },
  run: ({ db, caller, params, input, now }) => {
    const id = param(params);
    renamed(COMPONENT_FIELDS, () => updateComponent(db, caller.authority, id, componentInput(input, getComponentForm(db, id)), now));
    return { body: { component: componentDocument(db, id) } };
  },
});

// ---------------------------------------------------------------- groups

const groupBody = z.object({ name: any, description: any });
type GroupBody = z.input<typeof groupBody>;

function groupInput(body: GroupBody, base: Record<string, string>): GroupInput {
  return {
    name: Object.hasOwn(body, 'name') ? text(body.name) : (base.name ?? ''),
    description: Object.hasOwn(body, 'description') ? text(body.description) : (base.description ?? ''),
  };
}

export function groupDocument(db: Db, publicId: string) {
  const g = db.select().from(s.componentGroups).where(eq(s.componentGroups.publicId, publicId)).get();
  if (!g) throw new NotFound(`No group ${publicId}.`);
  const members = db.select({ id: s.components.publicId }).from(s.components).where(eq(s.components.groupId, g.id)).orderBy(asc(s.components.position)).all();
  return { id: g.publicId, name: g.name, description: g.description, position: g.position, components: members.map((m) => m.id), created_at: iso(g.createdAt), updated_at: iso(g.updatedAt) };
}

export const listGroupsRoute = apiRoute({
  scopes: READ,
  run: ({ db }) => ({
    body: { groups: db.select({ id: s.componentGroups.publicId }).from(s.componentGroups).orderBy(asc(s.componentGroups.position)).all().map((r) => groupDocument(db, r.id)) },
  }),
});

export const createGroupRoute = apiRoute<GroupBody>({
  scopes: WRITE,
  body: { schema: groupBody },
  run: ({ db, caller, input, now }) => {
    const id = createGroup(db, caller.authority, groupInput(input, {}), now);
    return { status: 201, headers: { Location: `/api/admin/groups/${id}` }, body: { group: groupDocument(db, id) } };
  },
});

export const getGroupRoute = apiRoute({ scopes: READ, run: ({ db, params }) => ({ body: { group: groupDocument(db, param(params)) } }) });

export const patchGroupRoute = apiRoute<GroupBody>({
  scopes: WRITE,
  body: { schema: groupBody },
  run: ({ db, caller, params, input, now }) => {
    const id = param(params);
    updateGroup(db, caller.authority, id, groupInput(input, getGroupForm(db, id)), now);
    return { body: { group: groupDocument(db, id) } };
  },
});

// ---------------------------------------------------------------- SLA policies

const tierBody = z.object({ belowPercent: any, creditPercent: any });
const impactsBody = z.object({ critical: any, major: any, minor: any });
const policyBody = z.object({
  name: any,
  availabilityTargetPercent: any,
  creditTiers: z.array(tierBody),
  weights: z.object({ majorOutage: any, partialOutage: any, degradedPerformance: any, underMaintenance: any }),
  maintenance: z.object({ noticeDays: any, maxHours: any, maxPerYear: any, allowedDays: any }),
  responseTargetsMinutes: impactsBody,
  responseComplianceTargetPercent: any,
  responseCreditTiers: z.array(tierBody),
  classLabels: impactsBody,
});
type PolicyBody = {
  name?: unknown;
  availabilityTargetPercent?: unknown;
  creditTiers?: { belowPercent?: unknown; creditPercent?: unknown }[];
  weights?: Record<string, unknown>;
  maintenance?: Record<string, unknown>;
  responseTargetsMinutes?: Record<string, unknown>;
  responseComplianceTargetPercent?: unknown;
  responseCreditTiers?: { belowPercent?: unknown; creditPercent?: unknown }[];
  classLabels?: Record<string, unknown>;
};

const POLICY_FIELDS: Record<string, string> = {
  availabilityTarget: 'availability_target_percent',
  weightMajor: 'weights.major_outage',
  weightPartial: 'weights.partial_outage',
  weightDegraded: 'weights.degraded_performance',
  weightMaintenance: 'weights.under_maintenance',
  noticeDays: 'maintenance.notice_days',
  maxHours: 'maintenance.max_hours',
  maxPerYear: 'maintenance.max_per_year',
  allowedDays: 'maintenance.allowed_days',
  targetCritical: 'response_targets_minutes.critical',
  targetMajor: 'response_targets_minutes.major',
  targetMinor: 'response_targets_minutes.minor',
  complianceTarget: 'response_compliance_target_percent',
  classCritical: 'class_labels.critical',
  classMajor: 'class_labels.major',
  classMinor: 'class_labels.minor',
  ...Object.fromEntries(
    Array.from({ length: TIER_ROWS }, (_, i) => [
      [`tierBelow${i}`, `credit_tiers.${i}.below_percent`],
      [`tierCredit${i}`, `credit_tiers.${i}.credit_percent`],
      [`responseTierBelow${i}`, `response_credit_tiers.${i}.below_percent`],
      [`responseTierCredit${i}`, `response_credit_tiers.${i}.credit_percent`],
    ]).flat(),
  ),
};

function policyInput(body: PolicyBody, base: Record<string, string | string[]>): PolicyInput {
  const input: PolicyInput = { ...base };
  const set = (field: string, value: unknown) => {
    if (value !== undefined) input[field] = text(value);
  };
  set('name', body.name);
  set('availabilityTarget', body.availabilityTargetPercent);
  set('complianceTarget', body.responseComplianceTargetPercent);
  set('weightMajor', body.weights?.majorOutage);
  set('weightPartial', body.weights?.partialOutage);
  set('weightDegraded', body.weights?.degradedPerformance);
  set('weightMaintenance', body.weights?.underMaintenance);
  set('noticeDays', body.maintenance?.noticeDays);
  set('maxHours', body.maintenance?.maxHours);
  set('maxPerYear', body.maintenance?.maxPerYear);
  const days = body.maintenance?.allowedDays;
  if (days !== undefined) input.allowedDays = Array.isArray(days) ? days.map(text) : days === null ? [] : [text(days)];
  set('targetCritical', body.responseTargetsMinutes?.critical);
  set('targetMajor', body.responseTargetsMinutes?.major);
  set('targetMinor', body.responseTargetsMinutes?.minor);
  set('classCritical', body.classLabels?.critical);
  set('classMajor', body.classLabels?.major);
  set('classMinor', body.classLabels?.minor);
  const tiers = (list: PolicyBody['creditTiers'], prefix: string, field: string) => {
    if (list === undefined) return;
    if (list.length > TIER_ROWS) throw new Invalid({ [field]: `At most ${TIER_ROWS} tiers.` });
    for (let i = 0; i < TIER_ROWS; i++) {
      input[`${prefix}Below${i}`] = text(list[i]?.belowPercent);
      input[`${prefix}Credit${i}`] = text(list[i]?.creditPercent);
    }
  };
  tiers(body.creditTiers, 'tier', 'credit_tiers');
  tiers(body.responseCreditTiers, 'responseTier', 'response_credit_tiers');
  return input;
}

const percent = (fraction: number) => Number((fraction * 100).toFixed(6));
const tierDocument = (t: { below: number; creditPercent: number }) => ({ below_percent: percent(t.below), credit_percent: t.creditPercent });

export function policyDocument(policy: SlaPolicy) {
  const w = policy.weights;
  return {
    id: policy.publicId,
    name: policy.name,
    availability_target_percent: percent(policy.availabilityTarget),
    credit_tiers: policy.creditTiers.map(tierDocument),
    weights: { major_outage: w.major_outage, partial_outage: w.partial_outage, degraded_performance: w.degraded_performance, under_maintenance: w.under_maintenance },
    maintenance: {
      notice_days: policy.maintenanceNoticeDays,
      max_hours: policy.maintenanceMaxHours,
      max_per_year: policy.maintenanceMaxPerYear,
      allowed_days: policy.maintenanceAllowedDays,
    },
    response_targets_minutes: {
      critical: policy.responseTargets.critical ?? null,
      major: policy.responseTargets.major ?? null,
      minor: policy.responseTargets.minor ?? null,
    },
    response_compliance_target_percent: percent(policy.responseComplianceTarget),
    response_credit_tiers: policy.responseCreditTiers.map(tierDocument),
    class_labels: { critical: policy.classLabels.critical ?? null, major: policy.classLabels.major ?? null, minor: policy.classLabels.minor ?? null },
  };
}

function loadPolicyDocument(db: Db, publicId: string) {
  const policy = [...loadSlaPolicies(db).values()].find((p) => p.publicId === publicId);
  if (!policy) throw new NotFound(`No SLA policy ${publicId}.`);
  return policyDocument(policy);
}

/** A new policy starts from the workspace form's defaults (99.9%, weights 1 / 0.3 / 0 / 1, 98%). */
const NEW_POLICY_BASE: Record<string, string | string[]> = {
  availabilityTarget: '99.9',
  weightMajor: '1',
  weightPartial: '0.3',
  weightDegraded: '0',
  weightMaintenance: '1',
  noticeDays: '0',
  complianceTarget: '98',
  allowedDays: [],
};

export const listPoliciesRoute = apiRoute({
  scopes: READ,
  run: ({ db }) => ({ body: { sla_policies: [...loadSlaPolicies(db).values()].sort((a, b) => a.id - b.id).map(policyDocument) } }),
});

export const createPolicyRoute = apiRoute<PolicyBody>({
  scopes: WRITE,
  body: { schema: policyBody },
  run: ({ db, caller, input, now }) => {
    const id = renamed(POLICY_FIELDS, () => createPolicy(db, caller.authority, policyInput(input, NEW_POLICY_BASE), now));
    return { status: 201, headers: { Location: `/api/admin/sla-policies/${id}` }, body: { sla_policy: loadPolicyDocument(db, id) } };
  },
});

export const getPolicyRoute = apiRoute({ scopes: READ, run: ({ db, params }) => ({ body: { sla_policy: loadPolicyDocument(db, param(params)) } }) });

export const patchPolicyRoute = apiRoute<PolicyBody>({
  scopes: WRITE,
  body: { schema: policyBody },
  run: ({ db, caller, params, input, now }) => {
    const id = param(params);
    renamed(POLICY_FIELDS, () => updatePolicy(db, caller.authority, id, policyInput(input, getPolicyForm(db, id)), now));
    return { body: { sla_policy: loadPolicyDocument(db, id) } };
  },
});

// ---------------------------------------------------------------- site settings

const settingsBody = z.object({ name: any, url: any, timeZone: any, accentColor: any, historyDays: any, defaultSlaPolicyId: any, requireTotp: any });
type SettingsBody = z.input<typeof settingsBody>;
const SETTINGS_FIELDS = { defaultSlaPolicy: 'default_sla_policy_id' };

function settingsInput(body: SettingsBody, db: Db): SettingsInput {
  const { values, requireTotp } = getSettingsForm(db);
  const pick = (k: keyof SettingsBody, field: string) => (Object.hasOwn(body, k) ? text(body[k]) : (values[field] ?? ''));
  if (Object.hasOwn(body, 'requireTotp') && typeof body.requireTotp !== 'boolean') throw new Invalid({ require_totp: 'Send true or false.' });
  return {
    name: pick('name', 'name'),
    url: pick('url', 'url'),
    timeZone: pick('timeZone', 'timeZone'),
    accentColor: pick('accentColor', 'accentColor'),
    historyDays: pick('historyDays', 'historyDays'),
    defaultSlaPolicy: pick('defaultSlaPolicyId', 'defaultSlaPolicy'),
    requireTotp: Object.hasOwn(body, 'requireTotp') ? (body.requireTotp as boolean) : requireTotp,
  };
}

export function settingsDocument(db: Db) {
  const { values, requireTotp } = getSettingsForm(db);
  return {
    name: values.name,
    url: values.url,
    time_zone: values.timeZone,
    accent_color: values.accentColor,
    history_days: Number(values.historyDays),
    default_sla_policy_id: values.defaultSlaPolicy === '' ? null : values.defaultSlaPolicy,
    require_totp: requireTotp,
  };
}

export const getSettingsRoute = apiRoute({ scopes: READ, run: ({ db }) => ({ body: { settings: settingsDocument(db) } }) });

export const patchSettingsRoute = apiRoute<SettingsBody>({
  scopes: WRITE,
  body: { schema: settingsBody },
  run: ({ db, caller, input, now }) => {
    renamed(SETTINGS_FIELDS, () => updateSiteSettings(db, caller.authority, settingsInput(input, db), now));
    return { body: { settings: settingsDocument(db) } };
  },
});
