// Everything the public maintenance page needs, including whether the policy excuses it.
import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { evaluateMaintenanceWindows, type MaintenanceEvaluation } from '../domain/maintenance-policy.ts';
import { NotFound } from './errors.ts';
import { findMaintenanceId, loadMaintenanceSummaries, type MaintenanceSummary } from './maintenance.ts';
import { loadSite, loadSlaPolicies, maintenanceRulesOf, policyFor, type Site } from './site.ts';

export interface MaintenancePage {
  site: Site;
  now: number;
  maintenance: MaintenanceSummary;
  /** Policy verdict per affected component (policies may differ between components). */
  compliance: { componentName: string; policyName: string | null; evaluation: MaintenanceEvaluation }[];
}

const YEAR_MS = 366 * 86_400_000;

export function getMaintenancePage(db: Db, publicId: string, now: number): MaintenancePage {
  const id = findMaintenanceId(db, publicId);
  const maintenance = id === null ? undefined : loadMaintenanceSummaries(db, [id])[0];
  if (!maintenance) throw new NotFound(`No maintenance ${publicId}`);
  const site = loadSite(db);
  const policies = loadSlaPolicies(db);
  const compliance = maintenance.components.map((component) => {
    const policy = policyFor(policies, site, component.slaPolicyId);
    const sameYear = db
      .select({
        id: s.maintenances.publicId,
        status: s.maintenances.status,
        scheduledStart: s.maintenances.scheduledStart,
        scheduledEnd: s.maintenances.scheduledEnd,
        announcedAt: s.maintenances.announcedAt,
      })
      .from(s.maintenances)
      .innerJoin(s.maintenanceComponents, eq(s.maintenanceComponents.maintenanceId, s.maintenances.id))
      .where(
        and(
          eq(s.maintenanceComponents.componentId, component.id),
          gte(s.maintenances.scheduledStart, maintenance.scheduledStart - YEAR_MS),
          lt(s.maintenances.scheduledStart, maintenance.scheduledStart + 1),
        ),
      )
      .all();
    const rules = maintenanceRulesOf(policy);
    const evaluation = evaluateMaintenanceWindows(sameYear, rules, site.timeZone).get(maintenance.publicId)!;
    return { componentName: component.name, policyName: policy?.name ?? null, evaluation };
  });
  return { site, now, maintenance, compliance };
}
