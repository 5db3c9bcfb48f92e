// Publishing a notification: the content snapshot and one outbox row per recipient, written by
// the command that caused it, inside its transaction (commands pass their own `db`: better-sqlite3
// runs these statements on the same connection, so they see the command's writes and commit or
// roll back with it). Nothing is sent here; the delivery worker does that, off the request path.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { describeDurations } from '../../domain/notification-wording.ts';
import { COMPONENT_STATUS_LABELS, deriveOverallStatus, INCIDENT_STATUS_LABELS, worstStatus, type ComponentStatus } from '../../domain/status.ts';
import { getIncidentApiObject, getMaintenanceApiObject } from '../api/status-api.ts';
import type { ApiComponent } from '../api/status-api-objects.ts';
import { describeWindow } from '../commands/reschedule-maintenance.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { formatDurationLong } from '../../domain/durations.ts';
import { escapeMarkup } from '../xml-text.ts';
import { subscribedTo } from './audience.ts';
import { publishComponentUpdates } from './component-updates.ts';
import { NOTIFICATION_EVENTS, subjectOf, type NotificationContent, type NotificationEvent, type NotifiedComponent } from './content.ts';

export interface IncidentNotice {
  event: Extract<NotificationEvent, `incident.${string}`>;
  incidentId: number;
  /** The update this notice announces; absent for the post-mortem. */
  updatePublicId?: string;
  /** Plain text said instead of an update (an impact-window correction's reason). */
  note?: string;
}

export interface MaintenanceNotice {
  event: Extract<NotificationEvent, `maintenance.${string}`>;
  maintenanceId: number;
  updatePublicId?: string;
  /** Reminders wait in the outbox until their time. */
  dueAt?: number;
  headline?: string;
}

/**
 * Each component's level at `now`, counting periods that begin at this very instant (the read
 * models look at [from, now), which misses a period the command just opened).
 */
function currentLevels(db: Db, publicIds: readonly string[], now: number): Map<string, ComponentStatus> {
  const rows = db.all<{ id: string; level: ComponentStatus }>(sql`
    select c.public_id as id, p.level from impact_periods p join components c on c.id = p.component_id
    where c.public_id in (select value from json_each(${JSON.stringify(publicIds)}))
      and p.started_at <= ${now} and (p.ended_at is null or p.ended_at > ${now})`);
  const levels = new Map<string, ComponentStatus[]>();
  for (const r of rows) levels.set(r.id, [...(levels.get(r.id) ?? []), r.level]);
  return new Map(publicIds.map((id) => [id, worstStatus(levels.get(id) ?? [])]));
}

/**
 * The webhook envelope's `page`, with the overall status from every component's level now (the
 * read model's would miss what this very command changed).
 */
function pageNow(db: Db, pageId: string, now: number) {
  const all = db.all<{ id: string }>(sql`select public_id as id from components`).map((r) => r.id);
  const status = deriveOverallStatus([...currentLevels(db, all, now).values()]);
  return { id: pageId, status_indicator: status.indicator, status_description: status.description };
}

/** The components with their level now, in the API objects too. */
function withCurrentLevels(db: Db, list: ApiComponent[], now: number): NotifiedComponent[] {
  const levels = currentLevels(db, list.map((c) => c.id), now);
  return list.map((c) => {
    c.status = levels.get(c.id) ?? c.status;
    return { id: c.id, name: c.name, status: c.status, label: COMPONENT_STATUS_LABELS[c.status] };
  });
}

export function publishIncidentNotice(db: Db, notice: IncidentNotice, now: number): number {
  // A draft (an alert's, not yet published by staff) is private: nobody is told until it is public.
  const draft = db.select({ draft: s.incidents.draft }).from(s.incidents).where(eq(s.incidents.id, notice.incidentId)).get()?.draft;
  if (draft !== false) return 0;
  const found = getIncidentApiObject(db, notice.incidentId, now);
  if (!found) return 0;
  const { site, page, summary, updates, incident } = found;
  const update = notice.updatePublicId ? updates.find((u) => u.publicId === notice.updatePublicId) : undefined;
  const postmortem =
    notice.event === 'incident.postmortem_published'
      ? db.select({ bodyMd: s.postmortems.bodyMd, bodyHtml: s.postmortems.bodyHtml }).from(s.postmortems).where(eq(s.postmortems.incidentId, notice.incidentId)).get()
      : undefined;
  const headline =
    notice.event === 'incident.opened' || notice.event === 'incident.updated'
      ? INCIDENT_STATUS_LABELS[update?.status ?? summary.status]
      : NOTIFICATION_EVENTS[notice.event];
  const d = summary.shownDurations;
  const components = withCurrentLevels(db, incident.components, now);
  const envelope = pageNow(db, page.id, now);
  const content: NotificationContent = {
    event: notice.event,
    site: { id: site.publicId, name: site.name, url: site.url },
    subject: 'incident',
    threadId: summary.publicId,
    title: summary.title,
    headline,
    bodyMd: postmortem?.bodyMd ?? update?.bodyMd ?? notice.note ?? '',
    bodyHtml: postmortem?.bodyHtml ?? update?.bodyHtml ?? (notice.note ? `<p>${escapeMarkup(notice.note)}</p>` : ''),
    url: incident.shortlink,
    components,
    facts: [`Started ${formatInstant(summary.startedAt, site.timeZone, 'datetime')}.`, ...describeDurations(d, summary.mitigatedAt !== null)],
    at: now,
    webhook: {
      page: envelope,
      incident,
      candor: {
        event: notice.event,
        update_kind: update?.kind ?? null,
        failover_duration_seconds: summary.mitigatedAt === null ? null : Math.round(d.failover.ms / 1000),
        customer_impact_duration_seconds: Math.round(d.customerImpact.ms / 1000),
        customer_impact_ongoing: d.customerImpact.ongoing,
      },
    },
  };
  const recipients = enqueue(db, { content, incidentId: notice.incidentId, componentIds: summary.components.map((c) => c.id), dueAt: now }, now);
  publishComponentUpdates(db, incident.components, { site, page: envelope }, now);
  return recipients;
}

export function publishMaintenanceNotice(db: Db, notice: MaintenanceNotice, now: number): number {
  const found = getMaintenanceApiObject(db, notice.maintenanceId, now);
  if (!found) return 0;
  const { site, page, summary, maintenance } = found;
  const update = notice.updatePublicId ? summary.updates.find((u) => u.publicId === notice.updatePublicId) : summary.updates[0];
  const window = describeWindow(summary.scheduledStart, summary.scheduledEnd, site.timeZone);
  const components = withCurrentLevels(db, maintenance.components, now);
  const envelope = pageNow(db, page.id, now);
  const content: NotificationContent = {
    event: notice.event,
    site: { id: site.publicId, name: site.name, url: site.url },
    subject: 'maintenance',
    threadId: summary.publicId,
    title: summary.title,
    headline: notice.headline ?? NOTIFICATION_EVENTS[notice.event],
    bodyMd: update?.bodyMd ?? '',
    bodyHtml: update?.bodyHtml ?? '',
    url: maintenance.shortlink,
    components,
    facts: [`Window: ${window}.`],
    at: notice.dueAt ?? now,
    webhook: {
      page: envelope,
      incident: maintenance,
      candor: { event: notice.event, update_kind: null, scheduled_window: window },
    },
  };
  const recipients = enqueue(db, { content, maintenanceId: notice.maintenanceId, componentIds: summary.components.map((c) => c.id), dueAt: notice.dueAt ?? now }, now);
  // A reminder changes no level (it waits for its time); every other notice may have.
  if (notice.event !== 'maintenance.reminder') publishComponentUpdates(db, maintenance.components, { site, page: envelope }, now);
  return recipients;
}

interface Enqueue {
  content: NotificationContent;
  incidentId?: number;
  maintenanceId?: number;
  componentIds: number[];
  dueAt: number;
}

/** The notification row and, in one INSERT … SELECT, an outbox row per matching subscriber. */
function enqueue(db: Db, e: Enqueue, now: number): number {
  const publicId = newPublicId();
  const notification = db
    .insert(s.notifications)
    .values({
      publicId,
      event: e.content.event,
      incidentId: e.incidentId ?? null,
      maintenanceId: e.maintenanceId ?? null,
      subject: subjectOf(e.content),
      content: JSON.stringify(e.content),
      recipients: 0,
      createdAt: now,
    })
    .returning({ id: s.notifications.id })
    .get();
  // Demo subscribers are never sent to; a subscriber hears only about their components.
  const result = db.run(sql`
    insert into deliveries (key, kind, notification_id, subscriber_id, status, due_at, next_attempt_at, attempts, created_at)
    select ${publicId} || '.' || sub.public_id, sub.channel, ${notification.id}, sub.id, 'pending', ${e.dueAt}, ${e.dueAt}, 0, ${now}
    from subscribers sub
    where sub.confirmed_at is not null and sub.disabled_at is null and sub.source <> 'demo'
      and ${subscribedTo(e.componentIds)}`);
  db.update(s.notifications).set({ recipients: result.changes }).where(eq(s.notifications.id, notification.id)).run();
  return result.changes;
}

/** The reminder before a window starts, waiting in the outbox (none when the setting is 0 or it is too late). */
export function scheduleMaintenanceReminder(db: Db, maintenanceId: number, scheduledStart: number, now: number): void {
  const minutes = db.select({ m: s.siteSettings.maintenanceReminderMinutes }).from(s.siteSettings).get()?.m ?? 60;
  const dueAt = scheduledStart - minutes * 60_000;
  if (minutes <= 0 || dueAt <= now) return;
  publishMaintenanceNotice(db, { event: 'maintenance.reminder', maintenanceId, dueAt, headline: `Starts in ${formatDurationLong(minutes * 60_000)}` }, now);
}

/** A window that moved, started or was cancelled no longer needs its pending reminder. */
export function cancelPendingReminders(db: Db, maintenanceId: number): void {
  db.run(sql`
    update deliveries set status = 'cancelled'
    where status = 'pending' and notification_id in (
      select id from notifications where maintenance_id = ${maintenanceId} and event = 'maintenance.reminder'
    )`);
}
