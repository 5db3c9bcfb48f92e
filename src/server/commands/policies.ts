// SLA policies: create and edit. Owner only — a policy decides the credits customers are owed.
// Forms speak percent and minutes; the database keeps fractions and JSON (see db/schema.ts).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import { slaPolicies } from '../../../db/schema.ts';
import { requireRole } from '../auth/staff.ts';
import { Invalid, NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { integerField, nameText, numberField, optionalIntegerField, optionalNumberField } from './config-input.ts';
import { parseInput } from './input.ts';
import { runCommand } from './run-command.ts';

export const TIER_ROWS = 4;
const PERCENT = 'Enter a percentage between 0 and 100, e.g. 99.9.';
const WEIGHT = 'Enter a weight between 0 and 1, e.g. 0.3.';
const MINUTES = 'Enter whole minutes between 1 and 10080 (a week), or leave empty for no target.';

/** Tier rows of a kind: `tierBelow0`, `tierCredit0` … or `responseTierBelow0` … */
const tierFieldsOf = (prefix: string) =>
  Object.fromEntries(
    Array.from({ length: TIER_ROWS }, (_, i) => [
      [`${prefix}Below${i}`, optionalNumberField(PERCENT, 0.001, 100)],
      [`${prefix}Credit${i}`, optionalNumberField('Enter a credit between 0 and 100 percent.', 0.001, 100)],
    ]).flat(),
  );
const classLabel = z
  .string()
  .trim()
  .max(40, 'Use at most 40 characters.')
  .optional()
  .transform((text) => (text === '' ? undefined : text));

const mainSchema = z.object({
  name: nameText('policy'),
  availabilityTarget: numberField(PERCENT, 0.001, 100),
  weightMajor: numberField(WEIGHT, 0, 1),
  weightPartial: numberField(WEIGHT, 0, 1),
  weightDegraded: numberField(WEIGHT, 0, 1),
  weightMaintenance: numberField(WEIGHT, 0, 1),
  noticeDays: integerField('Enter whole days between 0 and 365.', 0, 365),
  maxHours: optionalNumberField('Enter hours between 0.25 and 720, or leave empty for no limit.', 0.25, 720),
  maxPerYear: optionalIntegerField('Enter a whole number between 0 and 366, or leave empty for no limit.', 0, 366),
  allowedDays: z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], 'Choose days of the week from the list.')).default([]),
  targetCritical: optionalIntegerField(MINUTES, 1, 10_080),
  targetMajor: optionalIntegerField(MINUTES, 1, 10_080),
  targetMinor: optionalIntegerField(MINUTES, 1, 10_080),
  complianceTarget: numberField(PERCENT, 0, 100),
  classCritical: classLabel,
  classMajor: classLabel,
  classMinor: classLabel,
});
const schema = mainSchema.extend(tierFieldsOf('tier')).extend(tierFieldsOf('responseTier'));

/** Form fields as text (checkbox days as a list), as the policy form posts them. */
export type PolicyInput = Record<string, string | string[] | undefined> & { allowedDays?: string[] };

const fraction = (percent: number) => Number((percent / 100).toFixed(8));

function toRow(input: PolicyInput) {
  const data = parseInput(schema, input) as z.output<typeof mainSchema>;
  // The tier rows and response targets have computed names.
  const byName = data as unknown as Record<string, number | undefined>;
  const problems: Record<string, string> = {};
  const tiers = readTiers(byName, 'tier', data.availabilityTarget, 'availability', problems);
  const responseTiers = readTiers(byName, 'responseTier', data.complianceTarget, 'response-time compliance', problems);
  if (data.weightPartial > data.weightMajor) problems.weightPartial = 'A partial outage cannot weigh more than a major outage.';
  if (data.weightDegraded > data.weightPartial) problems.weightDegraded = 'Degraded performance cannot weigh more than a partial outage.';
  if (Object.keys(problems).length > 0) throw new Invalid(problems);

  const targets = Object.fromEntries(
    (['critical', 'major', 'minor'] as const)
      .map((impact) => [impact, byName[`target${impact[0]!.toUpperCase()}${impact.slice(1)}`]] as const)
      .filter(([, minutes]) => minutes !== undefined),
  );
  const days = [...new Set(data.allowedDays)].map(Number).sort();
  return {
    name: data.name,
    availabilityTarget: fraction(data.availabilityTarget),
    creditTiers: JSON.stringify(tiers),
    responseCreditTiers: JSON.stringify(responseTiers),
    classLabels: JSON.stringify({ critical: data.classCritical, major: data.classMajor, minor: data.classMinor }),
    weights: JSON.stringify({
      major_outage: data.weightMajor,
      partial_outage: data.weightPartial,
      degraded_performance: data.weightDegraded,
      under_maintenance: data.weightMaintenance,
    }),
    maintenanceNoticeDays: data.noticeDays,
    maintenanceMaxHours: data.maxHours ?? null,
    maintenanceMaxPerYear: data.maxPerYear ?? null,
    maintenanceAllowedDays: days.length === 0 || days.length === 7 ? null : JSON.stringify(days),
    responseTargets: JSON.stringify(targets),
    responseComplianceTarget: fraction(data.complianceTarget),
  };
}

/**
 * One kind of credit tiers from its form rows: each row complete, at or below the goal it
 * credits, no two at one threshold, and lower figures earning at least as much. Stored as
 * fractions, highest threshold first.
 */
function readTiers(
  byName: Record<string, number | undefined>,
  prefix: string,
  goalPercent: number,
  measure: string,
  problems: Record<string, string>,
): { below: number; creditPercent: number }[] {
  const tiers: { below: number; creditPercent: number; row: number }[] = [];
  for (let i = 0; i < TIER_ROWS; i++) {
    const below = byName[`${prefix}Below${i}`];
    const credit = byName[`${prefix}Credit${i}`];
    if (below === undefined && credit === undefined) continue;
    if (below === undefined) problems[`${prefix}Below${i}`] = `Enter the ${measure} below which this credit applies.`;
    else if (credit === undefined) problems[`${prefix}Credit${i}`] = 'Enter the credit for this tier.';
    else if (below > goalPercent) problems[`${prefix}Below${i}`] = `A credit applies when the target is missed: use ${goalPercent}% or less.`;
    else tiers.push({ below, creditPercent: credit, row: i });
  }
  tiers.sort((a, b) => b.below - a.below);
  tiers.forEach((tier, i) => {
    const previous = tiers[i - 1];
    if (previous && previous.below === tier.below) problems[`${prefix}Below${tier.row}`] = 'Two tiers start at the same threshold.';
    else if (previous && tier.creditPercent < previous.creditPercent) problems[`${prefix}Credit${tier.row}`] = `Lower ${measure} should earn at least as much credit as the tier above.`;
  });
  return tiers.map((t) => ({ below: fraction(t.below), creditPercent: t.creditPercent }));
}

type PolicyRow = typeof slaPolicies.$inferSelect;
const snapshot = ({ id: _id, publicId: _p, createdAt: _c, updatedAt: _u, ...rest }: PolicyRow) => rest;

export function createPolicy(db: Db, by: Authority, input: PolicyInput, now: number): string {
  requireRole(by, 'owner');
  const values = toRow(input);
  return runCommand(db, by.actor, now, ({ tx, audit }) => {
    const publicId = newPublicId();
    const row = tx.insert(slaPolicies).values({ ...values, publicId, createdAt: now, updatedAt: now }).returning().get();
    audit({ action: 'sla_policy.create', entityType: 'sla_policy', entityId: publicId, after: snapshot(row) });
    return publicId;
  });
}

export function updatePolicy(db: Db, by: Authority, publicId: string, input: PolicyInput, now: number): void {
  requireRole(by, 'owner');
  const values = toRow(input);
  runCommand(db, by.actor, now, ({ tx, audit }) => {
    const before = tx.select().from(slaPolicies).where(eq(slaPolicies.publicId, publicId)).get();
    if (!before) throw new NotFound('No such SLA policy.');
    const after = tx.update(slaPolicies).set({ ...values, updatedAt: now }).where(eq(slaPolicies.id, before.id)).returning().get();
    audit({ action: 'sla_policy.update', entityType: 'sla_policy', entityId: publicId, before: snapshot(before), after: snapshot(after) });
  });
}
