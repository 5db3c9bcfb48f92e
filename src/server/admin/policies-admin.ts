// SLA policies for the workspace: a list, and a policy as the form's text (percent, minutes).
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { slaPolicies } from '../../../db/schema.ts';
import { TIER_ROWS, type PolicyInput } from '../commands/policies.ts';
import { NotFound } from '../errors.ts';
import { loadSlaPolicies, type SlaPolicy } from '../site.ts';

export interface PolicyRow {
  publicId: string;
  name: string;
  target: string;
  tiers: string;
  maintenance: string;
}

export function listPolicies(db: Db): PolicyRow[] {
  return [...loadSlaPolicies(db).values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({
      publicId: p.publicId,
      name: p.name,
      target: `${percentText(p.availabilityTarget)}%`,
      tiers: p.creditTiers.map((t) => `below ${percentText(t.below)}% → ${t.creditPercent}%`).join('; ') || 'none',
      maintenance: maintenanceSummary(p),
    }));
}

function maintenanceSummary(p: SlaPolicy): string {
  const parts = [`${p.maintenanceNoticeDays} days' notice`];
  if (p.maintenanceMaxHours !== null) parts.push(`at most ${p.maintenanceMaxHours} h`);
  if (p.maintenanceMaxPerYear !== null) parts.push(`${p.maintenanceMaxPerYear} a year`);
  return parts.join(', ');
}

/** A fraction as the percent text a person would type: 0.999 → "99.9". */
const percentText = (fraction: number) => String(Number((fraction * 100).toFixed(6)));

export const EMPTY_POLICY_FORM: Record<string, string | string[]> = {
  name: '',
  availabilityTarget: '99.9',
  weightMajor: '1',
  weightPartial: '0.3',
  weightDegraded: '0',
  weightMaintenance: '1',
  noticeDays: '0',
  maxHours: '',
  maxPerYear: '',
  allowedDays: [],
  targetCritical: '',
  targetMajor: '',
  targetMinor: '',
  complianceTarget: '98',
};

export function getPolicyForm(db: Db, publicId: string): Record<string, string | string[]> {
  const row = db.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.publicId, publicId)).get();
  const p = row && loadSlaPolicies(db).get(row.id);
  if (!p) throw new NotFound('No such SLA policy.');
  const values: Record<string, string | string[]> = {
    name: p.name,
    availabilityTarget: percentText(p.availabilityTarget),
    weightMajor: String(p.weights.major_outage),
    weightPartial: String(p.weights.partial_outage),
    weightDegraded: String(p.weights.degraded_performance),
    weightMaintenance: String(p.weights.under_maintenance),
    noticeDays: String(p.maintenanceNoticeDays),
    maxHours: p.maintenanceMaxHours === null ? '' : String(p.maintenanceMaxHours),
    maxPerYear: p.maintenanceMaxPerYear === null ? '' : String(p.maintenanceMaxPerYear),
    allowedDays: (p.maintenanceAllowedDays ?? []).map(String),
    targetCritical: p.responseTargets.critical === undefined ? '' : String(p.responseTargets.critical),
    targetMajor: p.responseTargets.major === undefined ? '' : String(p.responseTargets.major),
    targetMinor: p.responseTargets.minor === undefined ? '' : String(p.responseTargets.minor),
    complianceTarget: percentText(p.responseComplianceTarget),
    classCritical: p.classLabels.critical ?? '',
    classMajor: p.classLabels.major ?? '',
    classMinor: p.classLabels.minor ?? '',
  };
  p.creditTiers.slice(0, TIER_ROWS).forEach((tier, i) => {
    values[`tierBelow${i}`] = percentText(tier.below);
    values[`tierCredit${i}`] = String(tier.creditPercent);
  });
  p.responseCreditTiers.slice(0, TIER_ROWS).forEach((tier, i) => {
    values[`responseTierBelow${i}`] = percentText(tier.below);
    values[`responseTierCredit${i}`] = String(tier.creditPercent);
  });
  return values;
}


/** The policy form's fields as the command takes them: text, and the ticked weekdays as a list. */
export function readPolicyForm(form: FormData): PolicyInput {
  const allowedDays = form.getAll('allowedDays').filter((v): v is string => typeof v === 'string');
  const values: PolicyInput = { allowedDays };
  for (const [name, value] of form) if (typeof value === 'string' && !(name in values)) values[name] = value;
  return values;
}
