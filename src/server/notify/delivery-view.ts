// One notification's deliveries, recipient by recipient: who (masked: the view is for finding
// what went wrong, not for reading addresses), how it stands, how many tries, the last error and
// the next try; and sending a failed one again.
import { and, eq } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { requireEditor, type Authority } from '../commands/authority.ts';
import { parseInput } from '../commands/input.ts';
import { runStaffCommand } from '../commands/run-command.ts';
import { Conflict, NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';
import { NOTIFICATION_EVENTS, type NotificationEvent } from './content.ts';
import { CHANNEL_LABELS } from './subscriber-admin.ts';

export const DELIVERY_STATUS_WORDS = { failed: 'Failed', pending: 'Pending', delivered: 'Delivered', cancelled: 'Cancelled' } as const;

/** The delivery view's filter links: a status in words, or 'All'. */
export const deliveryFilterLabel = (status: string | null) => (status ? (DELIVERY_STATUS_WORDS[status as keyof typeof DELIVERY_STATUS_WORDS] ?? status) : 'All');

export const DELIVERY_STATUSES = ['failed', 'pending', 'delivered', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The most rows one page shows; the status filter finds the rest. */
export const DELIVERY_VIEW_LIMIT = 500;

/** "erin@example.com" → "e…@example.com": enough to recognise, not to copy. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '…' : `${address[0]}…@${address.slice(at + 1)}`;
}

/** A webhook URL's path often is its secret (Slack, Discord, Teams): only the origin is shown. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' && parsed.search === '' ? '/' : '/…'}`;
  } catch {
    return '…';
  }
}

export interface DeliveryRow {
  /** The subscriber's public id (what the retry button names). */
  subscriber: string;
  recipient: string;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: number | null;
  lastError: string | null;
  /** When a pending delivery is tried next (its time, for a reminder waiting for it). */
  nextAttemptAt: number | null;
  /** A worker holds it right now. */
  sending: boolean;
  deliveredAt: number | null;
  /** The destination was switched off after failing (webhooks and chat). */
  disabled: boolean;
  retryable: boolean;
}

export interface DeliveryView {
  notification: { publicId: string; subject: string; event: string; createdAt: number; recipients: number; link: string | null };
  counts: Record<DeliveryStatus, number>;
  filter: DeliveryStatus | null;
  rows: DeliveryRow[];
  /** Rows matching the filter; more than `rows` when the page is cut at DELIVERY_VIEW_LIMIT. */
  matching: number;
  timeZone: string;
}

interface Row {
  subscriber: string;
  channel: string;
  email: string | null;
  url: string | null;
  label: string | null;
  disabled_at: number | null;
  status: DeliveryStatus;
  attempts: number;
  last_attempt_at: number | null;
  last_error: string | null;
  next_attempt_at: number;
  lease_until: number | null;
  delivered_at: number | null;
}

function recipientOf(r: Pick<Row, 'channel' | 'email' | 'url' | 'label'>): string {
  const masked = r.channel === 'email' ? maskEmail(r.email ?? '') : maskUrl(r.url ?? '');
  return r.label ? `${r.label} (${masked})` : masked;
}

/** Notifications with the public ids of the incident or maintenance window they were about. */
export function selectNotifications(db: Db) {
  return db
    .select({
      id: s.notifications.id,
      publicId: s.notifications.publicId,
      subject: s.notifications.subject,
      event: s.notifications.event,
      createdAt: s.notifications.createdAt,
      recipients: s.notifications.recipients,
      incident: s.incidents.publicId,
      maintenance: s.maintenances.publicId,
    })
    .from(s.notifications)
    .leftJoin(s.incidents, eq(s.incidents.id, s.notifications.incidentId))
    .leftJoin(s.maintenances, eq(s.maintenances.id, s.notifications.maintenanceId));
}

/** How many of a notification's deliveries stand in each status. */
export function deliveryCounts(db: Db, notificationId: number): Record<DeliveryStatus, number> {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((x) => [x, 0])) as Record<DeliveryStatus, number>;
  for (const t of db.all<{ status: DeliveryStatus; n: number }>(sql`select status, count(*) as n from deliveries where notification_id = ${notificationId} group by status`)) {
    counts[t.status] = t.n;
  }
  return counts;
}

export function getDeliveryView(db: Db, publicId: string, options: { status?: string | null }, now: number): DeliveryView {
  const n = selectNotifications(db).where(eq(s.notifications.publicId, publicId)).get();
  if (!n) throw new NotFound(`No notification ${publicId}`);
  const filter = DELIVERY_STATUSES.find((x) => x === options.status) ?? null;
  const counts = deliveryCounts(db, n.id);
  const rows = db.all<Row>(sql`
    select sub.public_id as subscriber, sub.channel, sub.email, sub.url, sub.label, sub.disabled_at,
           d.status, d.attempts, d.last_error, d.next_attempt_at, d.lease_until, d.delivered_at,
           (select max(a.at) from delivery_attempts a where a.delivery_id = d.id) as last_attempt_at
    from deliveries d join subscribers sub on sub.id = d.subscriber_id
    where d.notification_id = ${n.id} ${filter ? sql`and d.status = ${filter}` : sql``}
    order by case d.status when 'failed' then 0 when 'pending' then 1 when 'delivered' then 2 else 3 end, d.id
    limit ${DELIVERY_VIEW_LIMIT}`);
  return {
    notification: {
      publicId: n.publicId,
      subject: n.subject,
      event: NOTIFICATION_EVENTS[n.event as NotificationEvent] ?? n.event,
      createdAt: n.createdAt,
      recipients: n.recipients,
      link: n.incident ? `/admin/incidents/${n.incident}` : n.maintenance ? `/admin/maintenance/${n.maintenance}` : null,
    },
    counts,
    filter,
    rows: rows.map((r) => ({
      subscriber: r.subscriber,
      recipient: recipientOf(r),
      channel: CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS] ?? r.channel,
      status: r.status,
      attempts: r.attempts,
      lastAttemptAt: r.last_attempt_at,
      lastError: r.last_error,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
      sending: r.status === 'pending' && r.lease_until !== null && r.lease_until > now,
      deliveredAt: r.delivered_at,
      disabled: r.disabled_at !== null,
      retryable: r.status === 'failed',
    })),
    matching: filter ? counts[filter] : DELIVERY_STATUSES.reduce((sum, x) => sum + counts[x], 0),
    timeZone: loadSite(db).timeZone,
  };
}

export const retryDeliveryInput = z.object({ subscriber: z.string({ error: 'Choose the delivery to send again.' }).trim().min(1, 'Choose the delivery to send again.') });

/**
 * Sends a failed delivery again, with the same idempotency key (webhook-id, Message-ID) and a new
 * 24 hours of retries; a destination switched off after failing is switched on again, since staff
 * say it should work now.
 */
export function retryDelivery(db: Db, authority: Authority, notificationPublicId: string, input: z.input<typeof retryDeliveryInput>, now: number): void {
  requireEditor(authority);
  const { subscriber } = parseInput(retryDeliveryInput, input);
  runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    const found = tx
      .select({ id: s.deliveries.id, status: s.deliveries.status, attempts: s.deliveries.attempts, subscriberId: s.subscribers.id, disabledAt: s.subscribers.disabledAt })
      .from(s.deliveries)
      .innerJoin(s.notifications, eq(s.notifications.id, s.deliveries.notificationId))
      .innerJoin(s.subscribers, eq(s.subscribers.id, s.deliveries.subscriberId))
      .where(and(eq(s.notifications.publicId, notificationPublicId), eq(s.subscribers.publicId, subscriber)))
      .get();
    if (!found) throw new NotFound(`Notification ${notificationPublicId} has no delivery to ${subscriber}.`);
    if (found.status !== 'failed') throw new Conflict('Only a delivery that failed can be sent again; this one is not failed (any more).');
    tx.update(s.deliveries)
      .set({ status: 'pending', dueAt: now, nextAttemptAt: now, leaseUntil: null })
      .where(eq(s.deliveries.id, found.id))
      .run();
    if (found.disabledAt !== null) {
      tx.update(s.subscribers).set({ disabledAt: null, disabledReason: null, updatedAt: now }).where(eq(s.subscribers.id, found.subscriberId)).run();
    }
    audit({
      action: 'delivery.retry',
      entityType: 'subscriber',
      entityId: subscriber,
      before: { status: found.status, attempts: found.attempts, disabled: found.disabledAt !== null },
      after: { status: 'pending', notification: notificationPublicId },
    });
  });
}
