// Policy warnings for a planned window, computed before anything is saved so staff can move the
// window or knowingly schedule it anyway (a window that breaks the policy is not excused).
import { and, eq, inArray, ne } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { evaluateMaintenanceWindows, type MaintenanceWindowLike } from '../../domain/maintenance-policy.ts';
import { pageOrder } from '../component-order.ts';
import { loadSite, loadSlaPolicies, maintenanceRulesOf, policyFor } from '../site.ts';

export interface PolicyWarning {
  /** Plain words, e.g. "Announced 3 days ahead; the policy requires 30." */
  problem: string;
  /** Names of the components whose policy it breaks. */
  components: string[];
}

export interface PlannedWindow {
  scheduledStart: number;
  scheduledEnd: number;
  componentIds: string[];
  /** Public id of the window being moved: its current times do not count against the new ones. */
  replaces?: string;
}

export function maintenancePolicyWarnings(db: Db, planned: PlannedWindow, now: number): PolicyWarning[] {
  if (planned.componentIds.length === 0) return [];
  const site = loadSite(db);
  const policies = loadSlaPolicies(db);
  const components = db
    .select({ id: s.components.id, name: s.components.name, slaPolicyId: s.components.slaPolicyId })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .where(inArray(s.components.publicId, planned.componentIds))
    .orderBy(...pageOrder)
    .all();
  const existing = db
    .select({
      componentId: s.maintenanceComponents.componentId,
      id: s.maintenances.publicId,
      status: s.maintenances.status,
      scheduledStart: s.maintenances.scheduledStart,
      scheduledEnd: s.maintenances.scheduledEnd,
      announcedAt: s.maintenances.announcedAt,
    })
    .from(s.maintenanceComponents)
    .innerJoin(s.maintenances, eq(s.maintenances.id, s.maintenanceComponents.maintenanceId))
    .where(and(inArray(s.maintenanceComponents.componentId, components.map((c) => c.id)), ne(s.maintenances.status, 'cancelled')))
    .all();
  const candidate: MaintenanceWindowLike = { id: '', status: 'scheduled', scheduledStart: planned.scheduledStart, scheduledEnd: planned.scheduledEnd, announcedAt: now };

  const byProblem = new Map<string, string[]>();
  for (const component of components) {
    const windows = [...existing.filter((w) => w.componentId === component.id && w.id !== planned.replaces), candidate];
    const rules = maintenanceRulesOf(policyFor(policies, site, component.slaPolicyId));
    const evaluation = evaluateMaintenanceWindows(windows, rules, site.timeZone).get('');
    for (const problem of evaluation?.problems ?? []) byProblem.set(problem, [...(byProblem.get(problem) ?? []), component.name]);
  }
  return [...byProblem].map(([problem, names]) => ({ problem, components: names }));
}
