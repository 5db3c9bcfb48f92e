// Everything one component's public page needs.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { loadComponentHealth, type ComponentHealth } from './component-health.ts';
import { NotFound } from './errors.ts';
import { loadIncidentSummaries, type IncidentSummary } from './incidents.ts';
import { loadMonthlyHistory, type MonthReport } from './monthly-history.ts';
import { loadResponseIncidents } from './response-times.ts';
import { loadSite, loadSlaPolicies, policyFor, type Site } from './site.ts';
import { responseSection, type ResponseSection } from './uptime-page.ts';
import { formatMonthKey, monthInterval } from '../domain/calendar-month.ts';
import { formatInstant, monthKey } from '../domain/time-zone.ts';

export const COMPONENT_PAGE_INCIDENTS = 20;

export interface ComponentPage {
  site: Site;
  now: number;
  component: ComponentHealth;
  groupName: string | null;
  incidents: IncidentSummary[];
  /** The last 12 months, newest first. */
  monthly: MonthReport[];
  /** This month's response times for incidents that affected the component, under its policy. */
  response: ResponseSection & { monthLabel: string; monthKey: string };
}

export function getComponentPage(db: Db, slug: string, now: number): ComponentPage {
  const row = db
    .select({
      id: s.components.id,
      startDate: s.components.startDate,
      slaPolicyId: s.components.slaPolicyId,
      groupName: s.componentGroups.name,
    })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .where(eq(s.components.slug, slug))
    .get();
  if (!row) throw new NotFound(`No component ${slug}`);
  const site = loadSite(db);
  const component = loadComponentHealth(db, site, now, { componentIds: [row.id] })[0]!;
  const incidentIds = db
    .selectDistinct({ id: s.impactPeriods.incidentId, startedAt: s.incidents.startedAt })
    .from(s.impactPeriods)
    .innerJoin(s.incidents, eq(s.incidents.id, s.impactPeriods.incidentId))
    .where(eq(s.impactPeriods.componentId, row.id))
    .orderBy(desc(s.incidents.startedAt))
    .limit(COMPONENT_PAGE_INCIDENTS)
    .all()
    .map((r) => r.id!);
  return {
    site,
    now,
    component,
    groupName: row.groupName,
    incidents: loadIncidentSummaries(db, incidentIds, now),
    monthly: loadMonthlyHistory(db, site, row, now),
    response: currentResponse(db, site, row, now),
  };
}

function currentResponse(db: Db, site: Site, component: { id: number; slaPolicyId: number | null }, now: number): ComponentPage['response'] {
  const month = monthKey(now, site.timeZone);
  const window = monthInterval(month, site.timeZone);
  const policy = policyFor(loadSlaPolicies(db), site, component.slaPolicyId);
  return {
    ...responseSection(policy, loadResponseIncidents(db, window, component.id), now),
    monthLabel: formatInstant(window.start, site.timeZone, 'month'),
    monthKey: formatMonthKey(month),
  };
}
