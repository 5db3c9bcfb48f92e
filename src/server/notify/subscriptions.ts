// Subscribing and leaving. Public requests never say whether an address is known (the answer is
// always the same), send at most one mail per address per 10 minutes, and send nothing but the
// confirmation before the subscriber confirms. They do not touch the public data version: the
// status pages do not change when someone subscribes.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import type { Tx } from '../actor.ts';
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
/** Group ids (as in /api/v2/components.json): every component of the group, now and later. */
const groupIds = z.array(z.string().trim().min(1), { error: 'Choose groups from the list.' }).default([]);

export const emailSubscriptionInput = z.object({
  email: emailField,
  /** Component slugs; none (and no group) = everything. */
  components: componentSlugs,
  groups: groupIds,
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
  groups: groupIds,
});

/** Component ids for slugs, refusing any unknown one. */
function componentIdsOf(db: Db, slugs: readonly string[], field = 'components'): number[] {
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return [];
  const rows = db.select({ id: s.components.id, slug: s.components.slug }).from(s.components).where(inArray(s.components.slug, unique)).all();
  if (rows.length !== unique.length) throw new Invalid({ [field]: 'Choose components from the list; one of them does not exist (any more).' });
  return rows.map((r) => r.id);
}

/** Group ids for public ids, refusing any unknown one. */
export function groupIdsOf(db: Db | Tx, publicIds: readonly string[], field = 'groups'): number[] {
  const unique = [...new Set(publicIds)];
  if (unique.length === 0) return [];
  const rows = db.select({ id: s.componentGroups.id }).from(s.componentGroups).where(inArray(s.componentGroups.publicId, unique)).all();
  if (rows.length !== unique.length) throw new Invalid({ [field]: 'Choose groups from the list; one of them does not exist (any more).' });
  return rows.map((r) => r.id);
}

/** What a subscriber chose: components and groups; neither means everything. */
export interface Choice {
  componentIds: readonly number[];
  groupIds: readonly number[];
}

export const choosesEverything = (choice: Choice) => choice.componentIds.length === 0 && choice.groupIds.length === 0;

export function setChoice(db: Db | Tx, subscriberId: number, choice: Choice): void {
  db.delete(s.subscriberComponents).where(eq(s.subscriberComponents.subscriberId, subscriberId)).run();
  db.delete(s.subscriberGroups).where(eq(s.subscriberGroups.subscriberId, subscriberId)).run();
  for (const componentId of choice.componentIds) db.insert(s.subscriberComponents).values({ subscriberId, componentId }).run();
  for (const groupId of choice.groupIds) db.insert(s.subscriberGroups).values({ subscriberId, groupId }).run();
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
    const choice = { componentIds: componentIdsOf(db, data.components), groupIds: groupIdsOf(db, data.groups) };
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
      allComponents: choosesEverything(choice),
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
    setChoice(db, id, choice);
    queueConfirmation(db, { to: data.email, siteName: site.name, siteUrl: site.url, confirmUrl: `${site.url}/subscribe/confirm?token=${token}`, what: 'email' }, now);
  });
}

/** The public webhook form: the contact address confirms; the secret is shown when it does. */
export function requestWebhookSubscription(db: Db, input: z.input<typeof webhookSubscriptionInput>, now: number): void {
  const data = parseInput(webhookSubscriptionInput, input);
  db.transaction(() => {
    const choice = { componentIds: componentIdsOf(db, data.components), groupIds: groupIdsOf(db, data.groups) };
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
        allComponents: choosesEverything(choice),
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
    setChoice(db, id, choice);
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
  /** Public ids of the groups chosen as a whole. */
  groupIds: string[];
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
  const groups = db
    .select({ id: s.componentGroups.publicId })
    .from(s.subscriberGroups)
    .innerJoin(s.componentGroups, eq(s.componentGroups.id, s.subscriberGroups.groupId))
    .where(eq(s.subscriberGroups.subscriberId, row.id))
    .all()
    .map((r) => r.id);
  return { channel: row.channel, email: row.email, url: row.url, allComponents: row.allComponents, componentSlugs: slugs, groupIds: groups };
}

export function changeSubscribedComponents(db: Db, token: string, input: { components?: string[]; groups?: string[] }, now: number): void {
  const { components, groups } = parseInput(z.object({ components: componentSlugs, groups: groupIds }), input);
  db.transaction(() => {
    const row = findByManageToken(db, token);
    const choice = { componentIds: componentIdsOf(db, components), groupIds: groupIdsOf(db, groups) };
    db.update(s.subscribers).set({ allComponents: choosesEverything(choice), updatedAt: now }).where(eq(s.subscribers.id, row.id)).run();
    setChoice(db, row.id, choice);
  });
}

/** Leaving deletes the subscription and its address, and whatever was still waiting to be sent to it. */
export function unsubscribe(db: Db, token: string): void {
  const row = findByManageToken(db, token);
  db.delete(s.subscribers).where(eq(s.subscribers.id, row.id)).run();
}
