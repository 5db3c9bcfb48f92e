// Staff manage subscribers and chat destinations: add (confirmed at once; staff answer for it),
// remove (the address is deleted), list. Owners and editors may change them; only owners export.
import { and, asc, desc, eq, inArray, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { requireEditor, type Authority } from '../commands/authority.ts';
import { parseInput } from '../commands/input.ts';
import { runStaffCommand } from '../commands/run-command.ts';
import { emailField } from '../commands/staff-input.ts';
import { Invalid, NotFound } from '../errors.ts';
import { randomBytes } from 'node:crypto';
import { generateWebhookSecret } from './senders/webhook.ts';
import { choosesEverything, groupIdsOf, setChoice, webhookUrlField } from './subscriptions.ts';

export const CHANNEL_LABELS: Record<(typeof s.SUBSCRIBER_CHANNELS)[number], string> = {
  email: 'Email',
  webhook: 'Webhook',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  discord: 'Discord',
};

export const addSubscriberInput = z
  .object({
    channel: z.enum(s.SUBSCRIBER_CHANNELS, { error: 'Choose email, webhook, Slack, Microsoft Teams or Discord.' }),
    email: emailField.optional(),
    url: webhookUrlField.optional(),
    label: z.string().trim().max(100, 'Use at most 100 characters.').optional(),
    /** Component slugs; none (and no group) = everything. */
    components: z.array(z.string().trim().min(1)).default([]),
    /** Group ids: every component of the group, also those added later. */
    groups: z.array(z.string().trim().min(1)).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'email' && !v.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter the email address.' });
    if (v.channel !== 'email' && !v.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'Enter the URL that should receive the messages.' });
  });

export type AddSubscriberInput = z.input<typeof addSubscriberInput>;

export interface AddedSubscriber {
  publicId: string;
  /** Webhooks: the signing secret, shown this once. */
  secret: string | null;
}

export function addSubscriber(db: Db, authority: Authority, input: AddSubscriberInput, now: number): AddedSubscriber {
  requireEditor(authority);
  const data = parseInput(addSubscriberInput, input);
  return runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    const slugs = [...new Set(data.components)];
    const components = slugs.length === 0 ? [] : tx.select({ id: s.components.id, slug: s.components.slug }).from(s.components).where(inArray(s.components.slug, slugs)).all();
    if (components.length !== slugs.length) throw new Invalid({ components: 'Choose components from the list; one of them does not exist.' });
    const groupIds = groupIdsOf(tx, data.groups);
    if (data.channel === 'email' && tx.select({ id: s.subscribers.id }).from(s.subscribers).where(and(eq(s.subscribers.channel, 'email'), eq(s.subscribers.email, data.email!))).get()) {
      throw new Invalid({ email: 'This address is already on the list.' });
    }
    const publicId = newPublicId();
    const secret = data.channel === 'webhook' ? generateWebhookSecret() : null;
    const row = tx
      .insert(s.subscribers)
      .values({
        publicId,
        channel: data.channel,
        email: data.email ?? null,
        url: data.channel === 'email' ? null : data.url!,
        secret,
        label: data.label || null,
        allComponents: choosesEverything({ componentIds: components.map((c) => c.id), groupIds }),
        confirmedAt: now,
        manageToken: randomBytes(32).toString('base64url'),
        source: authority.actor.tokenId === null ? 'staff' : 'api',
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: s.subscribers.id })
      .get();
    setChoice(tx, row.id, { componentIds: components.map((c) => c.id), groupIds });
    // The audit log keeps no address: it outlives the subscription, the address must not.
    audit({ action: 'subscriber.add', entityType: 'subscriber', entityId: publicId, after: { channel: data.channel, components: slugs, groups: [...new Set(data.groups)] } });
    return { publicId, secret };
  });
}

export function removeSubscriber(db: Db, authority: Authority, publicId: string, now: number): void {
  requireEditor(authority);
  runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    const row = tx.select().from(s.subscribers).where(eq(s.subscribers.publicId, publicId)).get();
    if (!row) throw new NotFound(`No subscriber ${publicId}`);
    tx.delete(s.subscribers).where(eq(s.subscribers.id, row.id)).run();
    audit({ action: 'subscriber.remove', entityType: 'subscriber', entityId: publicId, before: { channel: row.channel } });
  });
}

export interface SubscriberListing {
  publicId: string;
  channel: (typeof s.SUBSCRIBER_CHANNELS)[number];
  email: string | null;
  url: string | null;
  label: string | null;
  confirmed: boolean;
  allComponents: boolean;
  components: string[];
  /** Names of the groups chosen as a whole. */
  groups: string[];
  source: string;
  createdAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
  lastDelivery: { status: string; at: number | null; error: string | null } | null;
}

export function listSubscribers(db: Db, options: { search?: string; channel?: string; limit?: number } = {}): SubscriberListing[] {
  const term = options.search?.trim().toLowerCase();
  const filters = [
    term ? or(like(s.subscribers.email, `%${term}%`), like(s.subscribers.url, `%${term}%`), like(s.subscribers.label, `%${term}%`)) : undefined,
    options.channel ? eq(s.subscribers.channel, options.channel as SubscriberListing['channel']) : undefined,
  ].filter((f) => f !== undefined);
  const rows = db
    .select()
    .from(s.subscribers)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(s.subscribers.createdAt), desc(s.subscribers.id))
    .limit(options.limit ?? 500)
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const components = new Map<number, string[]>();
  for (const c of db
    .select({ subscriberId: s.subscriberComponents.subscriberId, name: s.components.name })
    .from(s.subscriberComponents)
    .innerJoin(s.components, eq(s.components.id, s.subscriberComponents.componentId))
    .where(inArray(s.subscriberComponents.subscriberId, ids))
    .orderBy(asc(s.components.position))
    .all()) {
    components.set(c.subscriberId, [...(components.get(c.subscriberId) ?? []), c.name]);
  }
  const groups = new Map<number, string[]>();
  for (const g of db
    .select({ subscriberId: s.subscriberGroups.subscriberId, name: s.componentGroups.name })
    .from(s.subscriberGroups)
    .innerJoin(s.componentGroups, eq(s.componentGroups.id, s.subscriberGroups.groupId))
    .where(inArray(s.subscriberGroups.subscriberId, ids))
    .orderBy(asc(s.componentGroups.position))
    .all()) {
    groups.set(g.subscriberId, [...(groups.get(g.subscriberId) ?? []), g.name]);
  }
  const last = new Map<number, SubscriberListing['lastDelivery']>();
  for (const d of db.all<{ subscriber_id: number; status: string; at: number | null; error: string | null }>(sql`
    select d.subscriber_id, d.status, coalesce(d.delivered_at, (select max(at) from delivery_attempts a where a.delivery_id = d.id)) as at, d.last_error as error
    from deliveries d
    where d.id in (select max(id) from deliveries where subscriber_id in (select value from json_each(${JSON.stringify(ids)})) and status <> 'cancelled' group by subscriber_id)`)) {
    last.set(d.subscriber_id, { status: d.status, at: d.at, error: d.error });
  }
  return rows.map((r) => ({
    publicId: r.publicId,
    channel: r.channel,
    email: r.email,
    url: r.url,
    label: r.label,
    confirmed: r.confirmedAt !== null,
    allComponents: r.allComponents,
    components: components.get(r.id) ?? [],
    groups: groups.get(r.id) ?? [],
    source: r.source,
    createdAt: r.createdAt,
    disabledAt: r.disabledAt,
    disabledReason: r.disabledReason,
    lastDelivery: last.get(r.id) ?? null,
  }));
}

/** Webhook and chat destinations switched off after 24 hours of failures: the workspace home says so. */
export function countSwitchedOff(db: Db): number {
  return db.get<{ n: number }>(sql`select count(*) as n from subscribers where disabled_at is not null`)?.n ?? 0;
}

/** Counts per channel, confirmed and not, for the subscribers page. */
export function countSubscribers(db: Db): { channel: string; confirmed: number; unconfirmed: number }[] {
  return db.all<{ channel: string; confirmed: number; unconfirmed: number }>(sql`
    select channel, sum(confirmed_at is not null) as confirmed, sum(confirmed_at is null) as unconfirmed
    from subscribers group by channel order by channel`);
}
