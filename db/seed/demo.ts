// The demo data set loaded into an empty database on first start: "Postwise", a
// transactional-email platform with 120 days of history. All instants are relative to `now`,
// so the demo never goes stale; only public ids differ between runs.
import type { Db } from '../client.ts';
import * as s from '../schema.ts';
import { newPublicId } from '../ids.ts';
import { DAY, addIncident, addMaintenance, isoDate, type ComponentIds, type Ctx, type Slug, type Tx } from './build.ts';
import { demoIncidents } from './demo-incidents.ts';
import { demoMaintenances } from './demo-maintenance.ts';
import { addDemoSubscribers } from './demo-subscribers.ts';

export { FAILOVER_TITLE } from './demo-failover.ts';
export const ONGOING_TITLE = 'Elevated latency on webhook deliveries';

const TIME_ZONE = 'Europe/Amsterdam';

export interface SeedOptions {
  /** Epoch ms the demo's history is relative to. */
  now: number;
  /** Markdown → sanitised HTML, as the server renders it. */
  render: (markdown: string) => string;
}

/** Loads the demo in one transaction if the database has no site yet. Returns whether it did. */
export function seedDemo(db: Db, opts: SeedOptions): boolean {
  return db.transaction((tx) => {
    if (tx.select({ id: s.siteSettings.id }).from(s.siteSettings).get()) return false;
    const { now, render } = opts;
    const founded = now - 2 * 365 * DAY;

    const policies = addSlaPolicies(tx, founded);
    const sitePublicId = newPublicId();
    tx.insert(s.siteSettings)
      .values({
        id: 1,
        publicId: sitePublicId,
        name: 'Postwise',
        url: 'http://localhost:4321',
        timeZone: TIME_ZONE,
        historyDays: 90,
        defaultSlaPolicyId: policies.email,
        createdAt: founded,
        updatedAt: founded,
      })
      .run();

    const ids = addComponents(tx, now, founded, policies);
    const ctx: Ctx = { tx, ids, render };
    for (const incident of demoIncidents(now)) addIncident(ctx, incident);
    for (const maintenance of demoMaintenances(now)) addMaintenance(ctx, maintenance);
    addDemoSubscribers(tx, ids, now);

    tx.insert(s.auditLog)
      .values({ at: now, actorLabel: 'system', action: 'demo.seed', entityType: 'site', entityId: sitePublicId })
      .run();
    return true;
  });
}

function addSlaPolicies(tx: Tx, createdAt: number): { email: number; console: number } {
  const common = {
    weights: JSON.stringify({ major_outage: 1, partial_outage: 0.3, degraded_performance: 0, under_maintenance: 1 }),
    maintenanceNoticeDays: 30,
    maintenanceMaxHours: 48,
    maintenanceMaxPerYear: 2,
    responseTargets: JSON.stringify({ critical: 120, major: 240, minor: 480 }),
    responseComplianceTarget: 0.98,
    createdAt,
    updatedAt: createdAt,
  };
  const insert = (name: string, availabilityTarget: number, creditTiers: { below: number; creditPercent: number }[]) =>
    tx
      .insert(s.slaPolicies)
      .values({ ...common, publicId: newPublicId(), name, availabilityTarget, creditTiers: JSON.stringify(creditTiers) })
      .returning({ id: s.slaPolicies.id })
      .get().id;
  return {
    email: insert('Email platform SLA', 0.999, [
      { below: 0.999, creditPercent: 10 },
      { below: 0.99, creditPercent: 25 },
    ]),
    console: insert('Console and API SLA', 0.99, [
      { below: 0.99, creditPercent: 10 },
      { below: 0.95, creditPercent: 25 },
    ]),
  };
}

interface ComponentSpec {
  slug: Slug;
  name: string;
  description: string;
  /** Days before `now` the component started existing. */
  ageDays: number;
  /** Which SLA policy; null = the site default (the email SLA). */
  sla: 'email' | 'console' | null;
}

const GROUPS: { name: string; description: string; components: ComponentSpec[] }[] = [
  {
    name: 'Sending',
    description: 'Everything that gets your email out of the door.',
    components: [
      { slug: 'send-api', name: 'Send API', description: 'The HTTPS API your applications call to send email.', ageDays: 730, sla: 'console' },
      { slug: 'smtp-relay', name: 'SMTP relay', description: 'Authenticated SMTP submission for servers and legacy applications.', ageDays: 730, sla: 'email' },
    ],
  },
  {
    name: 'Receiving',
    description: 'Mail sent to your domains and the events we send back to you.',
    components: [
      { slug: 'inbound-email', name: 'Inbound email', description: 'Accepts mail for your domains and parses it for your application.', ageDays: 730, sla: 'email' },
      { slug: 'webhooks', name: 'Webhooks', description: 'Delivers delivery, bounce and inbound events to your endpoints.', ageDays: 60, sla: null },
    ],
  },
];

const UNGROUPED: ComponentSpec[] = [
  { slug: 'admin-console', name: 'Admin console', description: 'The web dashboard where you manage domains, keys and users.', ageDays: 730, sla: 'console' },
  { slug: 'statistics', name: 'Statistics', description: 'Delivery, open and click statistics in the dashboard and API.', ageDays: 540, sla: null },
];

function addComponents(tx: Tx, now: number, founded: number, policies: { email: number; console: number }): ComponentIds {
  const ids: Partial<ComponentIds> = {};
  const insert = (c: ComponentSpec, groupId: number | null, position: number) => {
    const created = Math.max(founded, now - c.ageDays * DAY);
    ids[c.slug] = tx
      .insert(s.components)
      .values({
        publicId: newPublicId(),
        slug: c.slug,
        name: c.name,
        description: c.description,
        groupId,
        position,
        startDate: isoDate(now - c.ageDays * DAY, TIME_ZONE),
        slaPolicyId: c.sla === null ? null : policies[c.sla],
        createdAt: created,
        updatedAt: created,
      })
      .returning({ id: s.components.id })
      .get().id;
  };

  GROUPS.forEach((g, i) => {
    const groupId = tx
      .insert(s.componentGroups)
      .values({ publicId: newPublicId(), name: g.name, description: g.description, position: i + 1, createdAt: founded, updatedAt: founded })
      .returning({ id: s.componentGroups.id })
      .get().id;
    g.components.forEach((c, j) => insert(c, groupId, j + 1));
  });
  // Groups and ungrouped components share the top-level order: groups first, then the rest.
  UNGROUPED.forEach((c, i) => insert(c, null, GROUPS.length + i + 1));
  return ids as ComponentIds;
}
