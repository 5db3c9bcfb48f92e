// A large, synthetic history for scale checks: by default 10 years × 50 components ×
// 10,000 incidents × 100,000 updates, plus impact periods and maintenance. Written in one
// transaction with batched prepared INSERTs and explicit ids; reproducible from `seed`
// (only public ids differ between runs).
import type { Db } from '../client.ts';
import { newPublicId } from '../ids.ts';
import { BatchInsert } from './batch-insert.ts';
import { DAY, isoDate } from './build.ts';
import { addGeneratedIncident, addGeneratedMaintenance, seededRandom, type HistoryContext, type Writers } from './large-history.ts';

export interface LargeSeedOptions {
  now: number;
  render: (markdown: string) => string;
  years?: number;
  components?: number;
  incidents?: number;
  /** At least 2: the first update and the resolution. */
  updatesPerIncident?: number;
  maintenancePerYear?: number;
  seed?: number;
}

export type LargeSeedCounts = Record<'components' | 'incidents' | 'updates' | 'periods' | 'maintenances', number>;

const TIME_ZONE = 'Europe/Amsterdam';
const COMPONENTS_PER_GROUP = 5;
/** Every incident is over (resolved) this long before now. */
const QUIET_BEFORE_NOW = 4 * DAY;

/** Loads the large set into an empty database; throws if it already has a site. */
export function seedLarge(db: Db, options: LargeSeedOptions): LargeSeedCounts {
  const { now, years = 10, components = 50, incidents = 10_000, updatesPerIncident = 10, maintenancePerYear = 6 } = options;
  if (updatesPerIncident < 2) throw new Error('updatesPerIncident must be at least 2');
  const client = db.$client;
  const random = seededRandom(options.seed ?? 1);
  const rendered = new Map<string, [string, string]>();
  const body = (md: string): [string, string] => {
    let pair = rendered.get(md);
    if (!pair) rendered.set(md, (pair = [md, options.render(md)]));
    return pair;
  };
  const from = now - Math.round(years * 365.25 * DAY);

  return client.transaction((): LargeSeedCounts => {
    if (client.prepare('SELECT 1 FROM site_settings').get()) throw new Error('The database is not empty.');
    // Children are written in batches that may precede their parents' batches.
    client.pragma('defer_foreign_keys = ON');
    const insert = (table: string, columns: string) => new BatchInsert(client, table, columns.split(/,\s*/));
    const policyIds = addSite(client, from);
    const componentIds: number[] = [];
    const groups = insert('component_groups', 'id, public_id, name, position, created_at, updated_at');
    const comps = insert('components', 'id, public_id, slug, name, group_id, position, start_date, sla_policy_id, created_at, updated_at');
    for (let i = 1; i <= components; i++) {
      const group = Math.ceil(i / COMPONENTS_PER_GROUP);
      if ((i - 1) % COMPONENTS_PER_GROUP === 0) groups.add([group, newPublicId(), `Region ${group}`, group, from, from]);
      // One in five components joined later, so some months start mid-way.
      const created = random() < 0.2 ? from + Math.floor(random() * (now - from)) : from;
      const n = String(i).padStart(2, '0');
      comps.add([i, newPublicId(), `service-${n}`, `Service ${n}`, group, ((i - 1) % COMPONENTS_PER_GROUP) + 1, isoDate(created, TIME_ZONE), policyIds[i % 2], created, created]);
      componentIds.push(i);
    }

    const w: Writers = {
      incidents: insert('incidents', 'id, public_id, title, impact, status, started_at, mitigated_at, impact_ended_at, monitoring_at, resolved_at, created_at, updated_at'),
      updates: insert('incident_updates', 'id, public_id, incident_id, kind, status, body_md, body_html, display_at, created_at, updated_at'),
      updateComponents: insert('incident_update_components', 'update_id, component_id, old_status, new_status'),
      periods: insert('impact_periods', 'component_id, incident_id, maintenance_id, level, started_at, ended_at, created_at, updated_at'),
      maintenances: insert('maintenances', 'id, public_id, title, status, scheduled_start, scheduled_end, actual_start, actual_end, verifying_at, announced_at, created_at, updated_at'),
      maintenanceComponents: insert('maintenance_components', 'maintenance_id, component_id'),
      maintenanceUpdates: insert('maintenance_updates', 'public_id, maintenance_id, status, body_md, body_html, display_at, created_at, updated_at'),
    };
    const ctx: HistoryContext = { random, w, componentIds, body };
    const span = now - QUIET_BEFORE_NOW - from;
    const starts = Array.from({ length: incidents }, () => from + Math.floor(random() * span)).sort((a, b) => a - b);
    starts.forEach((startedAt, i) => addGeneratedIncident(ctx, i + 1, startedAt, updatesPerIncident, i * updatesPerIncident + 1));
    const windows = Math.round(years * maintenancePerYear);
    for (let i = 1; i <= windows; i++) addGeneratedMaintenance(ctx, i, from + Math.floor((span * (i - 0.5)) / windows));

    for (const writer of [groups, comps, ...Object.values(w)]) writer.flush();
    client
      .prepare("INSERT INTO audit_log (at, actor_label, action, entity_type, entity_id) VALUES (?, 'system', 'large.seed', 'site', 'site')")
      .run(now);
    return { components, incidents: w.incidents.count, updates: w.updates.count, periods: w.periods.count, maintenances: w.maintenances.count };
  })();
}

/** The site and two SLA policies like the demo's; returns the policy ids by parity. */
function addSite(client: Db['$client'], createdAt: number): [number, number] {
  const policy = client.prepare(
    `INSERT INTO sla_policies (id, public_id, name, availability_target, credit_tiers, weights, maintenance_notice_days,
       maintenance_max_hours, maintenance_max_per_year, response_targets, response_compliance_target, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 30, 48, 2, ?, 0.98, ?, ?)`,
  );
  const weights = JSON.stringify({ major_outage: 1, partial_outage: 0.3, degraded_performance: 0, under_maintenance: 1 });
  const targets = JSON.stringify({ critical: 120, major: 240, minor: 480 });
  const tiers = (a: number, b: number) => JSON.stringify([{ below: a, creditPercent: 10 }, { below: b, creditPercent: 25 }]);
  policy.run(1, newPublicId(), 'Email platform SLA', 0.999, tiers(0.999, 0.99), weights, targets, createdAt, createdAt);
  policy.run(2, newPublicId(), 'Console and API SLA', 0.99, tiers(0.99, 0.95), weights, targets, createdAt, createdAt);
  client
    .prepare(
      `INSERT INTO site_settings (id, public_id, name, url, time_zone, history_days, default_sla_policy_id, created_at, updated_at)
       VALUES (1, ?, 'Postwise (large data set)', 'http://localhost:4321', ?, 90, 1, ?, ?)`,
    )
    .run(newPublicId(), TIME_ZONE, createdAt, createdAt);
  return [1, 2];
}
