// Site settings and SLA policies, parsed from their stored JSON.
import { eq, max } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { newPublicId } from '../../db/ids.ts';
import { auditLog, siteSettings, slaPolicies } from '../../db/schema.ts';
import { stripInvisibleFormatting } from '../domain/display-text.ts';
import { DEFAULT_WEIGHTS, type Weights } from '../domain/availability.ts';
import type { MaintenanceRules } from '../domain/maintenance-policy.ts';
import type { ClassLabels } from '../domain/status.ts';
import { getConfig } from '../config.ts';

export interface Site {
  publicId: string;
  name: string;
  url: string;
  timeZone: string;
  accentColor: string;
  historyDays: number;
  defaultSlaPolicyId: number | null;
  dataVersion: number;
  updatedAt: number;
}

export interface SlaPolicy {
  id: number;
  publicId: string;
  name: string;
  availabilityTarget: number;
  creditTiers: { below: number; creditPercent: number }[];
  weights: Weights;
  maintenanceNoticeDays: number;
  maintenanceMaxHours: number | null;
  maintenanceMaxPerYear: number | null;
  maintenanceAllowedDays: number[] | null;
  responseTargets: Partial<Record<'critical' | 'major' | 'minor' | 'none', number>>;
  responseComplianceTarget: number;
  /** Credit tiers on the month's response-time compliance share. */
  responseCreditTiers: { below: number; creditPercent: number }[];
  /** The contract's names for the impact classes. */
  classLabels: ClassLabels;
}

/** "Acme Status"; a site already named "Status" or "Acme Status" is not "… Status Status". */
export function statusPageName(name: string): string {
  return /(^|\s)status$/i.test(name.trim()) ? name : `${name} Status`;
}

const FALLBACK_SITE: Site = {
  publicId: 'site',
  name: 'Status',
  url: 'http://localhost:4321',
  timeZone: 'UTC',
  accentColor: '#2f5fd0',
  historyDays: 90,
  defaultSlaPolicyId: null,
  dataVersion: 0,
  updatedAt: 0,
};

/**
 * Creates the settings row with neutral defaults when there is none (a new database without the
 * demo). Every command bumps its data version, which the response cache and ETags rely on, so the
 * row must exist before the first write.
 */
export function ensureSiteSettings(db: Db, now: number): void {
  // Read first: a start while another process holds the write lock must not need it.
  if (db.select({ id: siteSettings.id }).from(siteSettings).where(eq(siteSettings.id, 1)).get()) return;
  db.insert(siteSettings)
    .values({
      id: 1,
      publicId: newPublicId(),
      name: FALLBACK_SITE.name,
      url: FALLBACK_SITE.url,
      timeZone: FALLBACK_SITE.timeZone,
      accentColor: FALLBACK_SITE.accentColor,
      historyDays: FALLBACK_SITE.historyDays,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .run();
}

/** The public address: CANDOR_PUBLIC_URL when set (it wins over Settings), else the stored one. */
export function publicUrlOf(storedUrl: string): string {
  return getConfig().publicUrl ?? storedUrl.replace(/\/+$/, '');
}

export function loadSite(db: Db): Site {
  const row = db.select().from(siteSettings).where(eq(siteSettings.id, 1)).get();
  if (!row) return { ...FALLBACK_SITE, url: publicUrlOf(FALLBACK_SITE.url) };
  return {
    publicId: row.publicId,
    // Cleaned on the way in too; this covers names saved before that.
    name: stripInvisibleFormatting(row.name),
    url: publicUrlOf(row.url),
    timeZone: row.timeZone,
    accentColor: row.accentColor,
    historyDays: row.historyDays,
    defaultSlaPolicyId: row.defaultSlaPolicyId,
    dataVersion: row.dataVersion,
    updatedAt: row.updatedAt,
  };
}

export function loadSlaPolicies(db: Db): Map<number, SlaPolicy> {
  const rows = db.select().from(slaPolicies).all();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        publicId: row.publicId,
        name: row.name,
        availabilityTarget: row.availabilityTarget,
        creditTiers: JSON.parse(row.creditTiers),
        weights: { ...DEFAULT_WEIGHTS, ...JSON.parse(row.weights) },
        maintenanceNoticeDays: row.maintenanceNoticeDays,
        maintenanceMaxHours: row.maintenanceMaxHours,
        maintenanceMaxPerYear: row.maintenanceMaxPerYear,
        maintenanceAllowedDays: row.maintenanceAllowedDays ? JSON.parse(row.maintenanceAllowedDays) : null,
        responseTargets: JSON.parse(row.responseTargets),
        responseComplianceTarget: row.responseComplianceTarget,
        responseCreditTiers: JSON.parse(row.responseCreditTiers),
        classLabels: JSON.parse(row.classLabels),
      },
    ]),
  );
}

/** The policy in force for a component: its own, else the site default, else none. */
export function policyFor(
  policies: Map<number, SlaPolicy>,
  site: Site,
  componentPolicyId: number | null,
): SlaPolicy | null {
  return policies.get(componentPolicyId ?? -1) ?? policies.get(site.defaultSlaPolicyId ?? -1) ?? null;
}

/** Maintenance rules of a policy; without a policy every announced window is excused. */
export function maintenanceRulesOf(policy: SlaPolicy | null): MaintenanceRules {
  if (!policy) return { noticeDays: 0, maxHours: null, maxPerYear: null, allowedDays: null };
  return {
    noticeDays: policy.maintenanceNoticeDays,
    maxHours: policy.maintenanceMaxHours,
    maxPerYear: policy.maintenanceMaxPerYear,
    allowedDays: policy.maintenanceAllowedDays,
  };
}

/**
 * When the site's own settings (name, URL, zone) last changed: the settings row's creation or its
 * latest audited update. Unlike Site.updatedAt, which every public write moves.
 */
export function loadSiteChangedAt(db: Db): number {
  const created = db.select({ at: siteSettings.createdAt }).from(siteSettings).where(eq(siteSettings.id, 1)).get()?.at ?? 0;
  const edited = db.select({ at: max(auditLog.at) }).from(auditLog).where(eq(auditLog.entityType, 'site')).get()?.at ?? 0;
  return Math.max(created, edited);
}
