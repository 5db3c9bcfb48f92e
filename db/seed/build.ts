// Small builders the demo seed uses: time arithmetic, markdown dedent, and inserts of one
// incident or one maintenance window (with updates, component changes and impact periods)
// from a declarative spec. Everything derived (status, monitoringAt, resolvedAt,
// impactEndedAt, createdAt/updatedAt) is computed here so the specs stay readable and agree.
import type { Db } from '../client.ts';
import * as s from '../schema.ts';
import { newPublicId } from '../ids.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export type Slug = 'send-api' | 'smtp-relay' | 'inbound-email' | 'webhooks' | 'admin-console' | 'statistics';
export type ComponentIds = Record<Slug, number>;
export type Level = 'degraded_performance' | 'partial_outage' | 'major_outage';
export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';
export type Impact = 'none' | 'minor' | 'major' | 'critical';
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed' | 'cancelled';

/** Midnight UTC of the day `daysAgo` days before `now` (negative = in the future), plus "HH:MM" UTC. */
export function dayAt(now: number, daysAgo: number, hhmm: string): number {
  const midnight = Math.floor((now - daysAgo * DAY) / DAY) * DAY;
  const [h, m] = hhmm.split(':').map(Number);
  return midnight + (h ?? 0) * HOUR + (m ?? 0) * MIN;
}

/** "YYYY-MM-DD" of an instant in a time zone. */
export function isoDate(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const clockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'long', day: 'numeric', month: 'long' });

/** "14:13 CEST" — wall-clock time in the demo site's zone, for use inside message bodies. */
export const clock = (at: number): string => clockFormat.format(at);
/** "Tuesday 14 October 14:13 CEST". */
export const when = (at: number): string => `${dayFormat.format(at)} ${clock(at)}`;

/**
 * Tagged template for markdown bodies written hard-wrapped in source: strips the common
 * indentation and surrounding blank lines, and joins wrapped lines back into one line per
 * paragraph or list item — the site renders single newlines as line breaks, and staff typing
 * in the editor do not hard-wrap either.
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  const out: string[] = [];
  for (const line of lines.map((l) => l.slice(indent))) {
    const startsBlock = line.trim() === '' || /^\s*([-*+] |\d+\. |#|>|\||```)/.test(line);
    const previous = out[out.length - 1];
    if (!startsBlock && previous !== undefined && previous.trim() !== '' && !previous.startsWith('#')) {
      out[out.length - 1] = `${previous} ${line.trim()}`;
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

export interface Ctx {
  tx: Tx;
  ids: ComponentIds;
  render: (markdown: string) => string;
}

// ---------------------------------------------------------------- incidents

export interface IncidentUpdateSpec {
  at: number;
  status: IncidentStatus;
  kind?: 'update' | 'apology' | 'correction';
  body: string;
  /** Component statuses announced in this update; the old status is tracked per incident. */
  set?: Partial<Record<Slug, Level | 'operational'>>;
}

export interface PeriodSpec {
  component: Slug;
  level: Level;
  from: number;
  /** null = still open. */
  to: number | null;
  /** Defaults: created when first recorded (never before the first update), updated when closed. */
  createdAt?: number;
  updatedAt?: number;
}

export interface IncidentSpec {
  title: string;
  impact: Impact;
  startedAt: number;
  mitigatedAt: number | null;
  /** Named "Failover" in public only when the incident was one; plain words otherwise. */
  mitigationWording?: 'fix' | 'failover';
  updates: IncidentUpdateSpec[];
  periods: PeriodSpec[];
  postmortem?: { body: string; createdAt: number; publishedAt: number | null };
  impactCorrections?: { reason: string; at: number; before: unknown; after: unknown }[];
}

/** Customer impact ends at the latest end of the periods; null while any is open or if there are none. */
export function impactEnd(periods: PeriodSpec[]): number | null {
  if (periods.length === 0 || periods.some((p) => p.to === null)) return null;
  return Math.max(...periods.map((p) => p.to as number));
}

export function addIncident({ tx, ids, render }: Ctx, spec: IncidentSpec): number {
  const updates = [...spec.updates].sort((a, b) => a.at - b.at);
  const first = updates[0];
  const last = updates[updates.length - 1];
  if (!first || !last) throw new Error(`Demo incident "${spec.title}" needs at least one update`);
  const createdAt = first.at;
  const resolvedAt = updates.find((u) => u.status === 'resolved')?.at ?? null;
  const laterChanges = [
    last.at,
    spec.postmortem?.publishedAt ?? spec.postmortem?.createdAt ?? 0,
    ...(spec.impactCorrections ?? []).map((c) => c.at),
  ];

  const incident = tx
    .insert(s.incidents)
    .values({
      publicId: newPublicId(),
      title: spec.title,
      impact: spec.impact,
      status: last.status,
      startedAt: spec.startedAt,
      mitigatedAt: spec.mitigatedAt,
      mitigationWording: spec.mitigationWording ?? 'fix',
      impactEndedAt: impactEnd(spec.periods),
      monitoringAt: updates.find((u) => u.status === 'monitoring')?.at ?? null,
      resolvedAt,
      createdAt,
      updatedAt: Math.max(...laterChanges),
    })
    .returning({ id: s.incidents.id })
    .get();

  const announced = new Map<Slug, string>();
  for (const u of updates) {
    const row = tx
      .insert(s.incidentUpdates)
      .values({
        publicId: newPublicId(),
        incidentId: incident.id,
        kind: u.kind ?? 'update',
        status: u.status,
        bodyMd: u.body,
        bodyHtml: render(u.body),
        displayAt: u.at,
        createdAt: u.at,
        updatedAt: u.at,
      })
      .returning({ id: s.incidentUpdates.id })
      .get();
    for (const [slug, newStatus] of Object.entries(u.set ?? {}) as [Slug, string][]) {
      const oldStatus = announced.get(slug) ?? 'operational';
      announced.set(slug, newStatus);
      tx.insert(s.incidentUpdateComponents)
        .values({ updateId: row.id, componentId: ids[slug], oldStatus, newStatus })
        .run();
    }
  }

  for (const p of spec.periods) {
    const periodCreated = p.createdAt ?? Math.max(p.from, createdAt);
    tx.insert(s.impactPeriods)
      .values({
        componentId: ids[p.component],
        incidentId: incident.id,
        level: p.level,
        startedAt: p.from,
        endedAt: p.to,
        createdAt: periodCreated,
        updatedAt: p.updatedAt ?? Math.max(periodCreated, p.to ?? periodCreated),
      })
      .run();
  }

  if (spec.postmortem) {
    const pm = spec.postmortem;
    tx.insert(s.postmortems)
      .values({
        incidentId: incident.id,
        status: pm.publishedAt === null ? 'draft' : 'published',
        bodyMd: pm.body,
        bodyHtml: render(pm.body),
        publishedAt: pm.publishedAt,
        createdAt: pm.createdAt,
        updatedAt: pm.publishedAt ?? pm.createdAt,
      })
      .run();
  }

  for (const c of spec.impactCorrections ?? []) {
    tx.insert(s.impactCorrections)
      .values({
        incidentId: incident.id,
        reason: c.reason,
        before: JSON.stringify(c.before),
        after: JSON.stringify(c.after),
        correctedAt: c.at,
      })
      .run();
  }
  return incident.id;
}

// ---------------------------------------------------------------- maintenance

export interface MaintenanceSpec {
  title: string;
  components: Slug[];
  announcedAt: number;
  scheduledStart: number;
  scheduledEnd: number;
  actualStart: number | null;
  verifyingAt: number | null;
  actualEnd: number | null;
  updates: { at: number; status: MaintenanceStatus; body: string }[];
}

export function addMaintenance({ tx, ids, render }: Ctx, spec: MaintenanceSpec): number {
  const updates = [...spec.updates].sort((a, b) => a.at - b.at);
  const last = updates[updates.length - 1];
  if (!last) throw new Error(`Demo maintenance "${spec.title}" needs at least one update`);
  const m = tx
    .insert(s.maintenances)
    .values({
      publicId: newPublicId(),
      title: spec.title,
      status: last.status,
      scheduledStart: spec.scheduledStart,
      scheduledEnd: spec.scheduledEnd,
      actualStart: spec.actualStart,
      actualEnd: spec.actualEnd,
      verifyingAt: spec.verifyingAt,
      announcedAt: spec.announcedAt,
      createdAt: spec.announcedAt,
      updatedAt: last.at,
    })
    .returning({ id: s.maintenances.id })
    .get();

  for (const slug of spec.components) {
    tx.insert(s.maintenanceComponents).values({ maintenanceId: m.id, componentId: ids[slug] }).run();
    // The actual time under maintenance; none until the window has started.
    if (spec.actualStart !== null) {
      tx.insert(s.impactPeriods)
        .values({
          componentId: ids[slug],
          maintenanceId: m.id,
          level: 'under_maintenance',
          startedAt: spec.actualStart,
          endedAt: spec.actualEnd,
          createdAt: spec.actualStart,
          updatedAt: spec.actualEnd ?? spec.actualStart,
        })
        .run();
    }
  }

  for (const u of updates) {
    tx.insert(s.maintenanceUpdates)
      .values({
        publicId: newPublicId(),
        maintenanceId: m.id,
        status: u.status,
        bodyMd: u.body,
        bodyHtml: render(u.body),
        displayAt: u.at,
        createdAt: u.at,
        updatedAt: u.at,
      })
      .run();
  }
  return m.id;
}
