// Subscribing and leaving. Public requests never say whether an address is known (the answer is
// always the same), send at most one mail per address per 10 minutes, and send nothing but the
// confirmation before the subscriber confirms. They do not touch the public data version: the
// status pages do not change when someone subscribes.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { Invalid, NotFound } from '../errors.ts';
import { parseInput } from '../commands/input.ts';
import { emailField } from '../commands/staff-input.ts';
import { manageUrl } from './render-email.ts';
import type { ConfirmationPayload } from './render-email.ts';
import { generateWebhookSecret } from './senders/webhook.ts';
import { loadSite } from '../site.ts';

export const CONFIRMATION_VALID_MS = 48 * 60 * 60 * 1000;
export const CONFIRMATION_INTERVAL_MS = 10 * 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

const componentSlugs = z.array(z.string().trim().min(1), { error: 'Choose components from the list.' }).default([]);

export const emailSubscriptionInput = z.object({
  email: emailField,
  /** Component slugs; none = everything. */
  components: componentSlugs,
});

export const webhookUrlField = z
  .string({ error: 'Enter the URL that should receive the POSTs.' })
  .trim()
  .max(2000, 'That URL is too long.')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'Enter a full http(s) URL such as https://example.com/hooks/status, without a user name or password.');

export const webhookSubscriptionInput = z.object({
  url: webhookUrlField,
  email: emailField,
  components: componentSlugs,
});

/** Component ids for slugs, refusing any unknown one. */
function componentIdsOf(db: Db, slugs: readonly string[], field = 'components'): number[] {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return [];
  const rows = db.select({ id: s.components.id, slug: s.components.slug }).from(s.components).where(inArray(s.components.slug, unique)).all();
  if (rows.length !== unique.length) throw new Invalid({ [field]: 'Choose components from the list; one of them does not exist (any more).' });
  return rows.map((r) => r.id);
}

function setComponents(db: Db, subscriberId: number, componentIds: readonly number[]): void {
  db.delete(s.subscriberComponents).where(eq(s.subscriberComponents.subscriberId, subscriberId)).run();
  for (const componentId of componentIds) db.insert(s.subscriberComponents).values({ subscriberId, componentId }).run();
}

/** The site's name and public address (CANDOR_PUBLIC_URL when set) for links in mails. */
const siteOf = (db: Db) => loadSite(db);

function queueConfirmation(db: Db, payload: ConfirmationPayload, now: number): void {
  db.insert(s.deliveries)
    .values({ key: `confirm.${newPublicId()}${newPublicId()}`, kind: 'confirmation', payload: JSON.stringify(payload), dueAt: now, nextAttemptAt: now, createdAt: now })
    .run();
}

/** Unconfirmed subscriptions past their 48 hours are deleted with their address. */
export function purgeUnconfirmed(db: Db, now: number): number {
  return db.delete(s.subscribers).where(and(isNull(s.subscribers.confirmedAt), lt(s.subscribers.confirmExpiresAt, now))).run().changes;
}

/**
 * The public email form. Always ends the same way for the caller ("check your inbox"); what it
 * does depends on the address: new → a confirmation mail; pending → a new link (throttled);
 * already confirmed → a mail with the manage link (throttled), since only the owner may change it.
 */
export function requestEmailSubscription(db: Db, input: z.input<typeof emailSubscriptionInput>, now: number): void {
  const data = parseInput(emailSubscriptionInput, input);
  db.transaction(() => {
    const componentIds = componentIdsOf(db, data.components);
    purgeUnconfirmed(db, now);
    const site = siteOf(db);
    const existing = db.select().from(s.subscribers).where(and(eq(s.subscribers.channel, 'email'), eq(s.subscribers.email, data.email))).get();
    if (existing && existing.confirmationSentAt !== null && now - existing.confirmationSentAt < CONFIRMATION_INTERVAL_MS) return;
    if (existing?.confirmedAt != null) {
      db.update(s.subscribers).set({ confirmationSentAt: now, updatedAt: now }).where(eq(s.subscribers.id, existing.id)).run();
      queueConfirmation(db, { to: data.email, siteName: site.name, siteUrl: site.url, confirmUrl: manageUrl(site.url, existing.manageToken), what: 'manage' }, now);
      return;
    }
    const token = newToken();
    const pending = {
      confirmTokenHash: hashToken(token),
      confirmExpiresAt: now + CONFIRMATION_VALID_MS,
      confirmationSentAt: now,
      allComponents: componentIds.length === 0,
      updatedAt: now,
    };
    let id: number;
    if (existing) {
      db.update(s.subscribers).set(pending).where(eq(s.subscribers.id, existing.id)).run();
      id = existing.id;
    } else {
      id = db
        .insert(s.subscribers)
        .values({ publicId: newPublicId(), channel: 'email', email: data.email, manageToken: newToken(), source: 'public', createdAt: now, ...pending })
        .returning({ id: s.subscribers.id })
        .get().id;
    }
    setComponents(db, id, componentIds);
    queueConfirmation(db, { to: data.email, siteName: site.name, siteUrl: site.url, confirmUrl: `${site.url}/subscribe/confirm?token=${token}`, what: 'email' }, now);
  });
}

/** The public webhook form: the contact address confirms; the secret is shown when it does. */
export function requestWebhookSubscription(db: Db, input: z.input<typeof webhookSubscriptionInput>, now: number): void {
  const data = parseInput(webhookSubscriptionInput, input);
  db.transaction(() => {
    const componentIds = componentIdsOf(db, data.components);
    purgeUnconfirmed(db, now);
    const recent = db
      .select({ n: sql<number>`count(*)` })
      .from(s.subscribers)
      .where(and(eq(s.subscribers.channel, 'webhook'), eq(s.subscribers.email, data.email), sql`${s.subscribers.confirmationSentAt} > ${now - CONFIRMATION_INTERVAL_MS}`))
      .get();
    if ((recent?.n ?? 0) > 0) return;
    const site = siteOf(db);
    const token = newToken();
    const id = db
      .insert(s.subscribers)
      .values({
        publicId: newPublicId(),
        channel: 'webhook',
        email: data.email,
        url: data.url,
        secret: generateWebhookSecret(),
        allComponents: componentIds.length === 0,
        confirmTokenHash: hashToken(token),
        confirmExpiresAt: now + CONFIRMATION_VALID_MS,
        confirmationSentAt: now,
        manageToken: newToken(),
        source: 'public',
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: s.subscribers.id })
      .get().id;
    setComponents(db, id, componentIds);
    queueConfirmation(db, { to: data.email, siteName: site.name, siteUrl: site.url, confirmUrl: `${site.url}/subscribe/confirm?token=${token}`, what: 'webhook' }, now);
  });
}

export interface Confirmed {
  channel: string;
  manageToken: string;
  /** Webhooks: the signing secret, shown this once. */
  secret: string | null;
  url: string | null;
}

/** Confirms a pending subscription; the link works once, for 48 hours. */
export function confirmSubscription(db: Db, token: string, now: number): Confirmed {
  const row = token === '' ? undefined : db.select().from(s.subscribers).where(eq(s.subscribers.confirmTokenHash, hashToken(token))).get();
  if (!row || row.confirmExpiresAt === null || row.confirmExpiresAt < now) {
    throw new NotFound('This confirmation link is not valid (any more). Links work once, for 48 hours: subscribe again to get a new one.');
  }
  db.update(s.subscribers)
    .set({ confirmedAt: now, confirmTokenHash: null, confirmExpiresAt: null, updatedAt: now })
    .where(eq(s.subscribers.id, row.id))
    .run();
  return { channel: row.channel, manageToken: row.manageToken, secret: row.channel === 'webhook' ? row.secret : null, url: row.url };
}

export interface ManagedSubscription {
  channel: string;
  email: string | null;
  url: string | null;
  allComponents: boolean;
  componentSlugs: string[];
}

function findByManageToken(db: Db, token: string) {
  const row = token === '' ? undefined : db.select().from(s.subscribers).where(eq(s.subscribers.manageToken, token)).get();
  if (!row || row.confirmedAt === null) throw new NotFound('This link is not valid (any more): the subscription may have ended already.');
  return row;
}

export function loadManagedSubscription(db: Db, token: string): ManagedSubscription {
  const row = findByManageToken(db, token);
  const slugs = db
    .select({ slug: s.components.slug })
    .from(s.subscriberComponents)
    .innerJoin(s.components, eq(s.components.id, s.subscriberComponents.componentId))
    .where(eq(s.subscriberComponents.subscriberId, row.id))
    .all()
    .map((r) => r.slug);
  return { channel: row.channel, email: row.email, url: row.url, allComponents: row.allComponents, componentSlugs: slugs };
}

export function changeSubscribedComponents(db: Db, token: string, input: { components?: string[] }, now: number): void {
  const { components } = parseInput(z.object({ components: componentSlugs }), input);
  db.transaction(() => {
    const row = findByManageToken(db, token);
    const ids = componentIdsOf(db, components);
    db.update(s.subscribers).set({ allComponents: ids.length === 0, updatedAt: now }).where(eq(s.subscribers.id, row.id)).run();
    setComponents(db, row.id, ids);
  });
}

/** Leaving deletes the subscription and its address, and whatever was still waiting to be sent to it. */
export function unsubscribe(db: Db, token: string): void {
  const row = findByManageToken(db, token);
  db.delete(s.subscribers).where(eq(s.subscribers.id, row.id)).run();
}
