// The public subscribe pages' one server call each: what the form shows, and what a posted form
// does. Bad input comes back with a message per field and the typed values; a good request always
// gets the same answer, whether or not the address was known.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { getConfig } from '../../config.ts';
import { pageOrder } from '../component-order.ts';
import { Invalid } from '../errors.ts';
import { loadSite, type Site } from '../site.ts';
import { allowSubscribeRequest } from './subscribe-throttle.ts';
import { requestEmailSubscription, requestWebhookSubscription } from './subscriptions.ts';

/** A group (with its id, to subscribe to all of it) or one ungrouped component, in page order. */
export interface ComponentGroupChoice {
  groupId: string | null;
  group: string | null;
  components: { slug: string; name: string }[];
}

export interface SubscribePage {
  site: Site;
  /** False without CANDOR_SMTP_URL: nothing could confirm a subscription. */
  emailEnabled: boolean;
  groups: ComponentGroupChoice[];
}

export function getSubscribePage(db: Db): SubscribePage {
  return { site: loadSite(db), emailEnabled: getConfig().smtpUrl !== null, groups: listComponentGroupChoices(db) };
}

/** Groups (empty ones too: they can be subscribed to before they get components) and ungrouped components, in page order. */
export function listComponentGroupChoices(db: Db): ComponentGroupChoice[] {
  const rows = db
    .select({ slug: s.components.slug, name: s.components.name, groupId: s.componentGroups.publicId, group: s.componentGroups.name, position: sql<number>`${pageOrder[0]}` })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .orderBy(...pageOrder)
    .all();
  const entries: (ComponentGroupChoice & { position: number })[] = [];
  for (const row of rows) {
    const last = entries.at(-1);
    if (row.groupId !== null && last?.groupId === row.groupId) last.components.push({ slug: row.slug, name: row.name });
    else entries.push({ groupId: row.groupId, group: row.group, position: row.position, components: [{ slug: row.slug, name: row.name }] });
  }
  const shown = new Set(entries.map((e) => e.groupId));
  for (const g of db.select().from(s.componentGroups).all()) {
    if (!shown.has(g.publicId)) entries.push({ groupId: g.publicId, group: g.name, position: g.position, components: [] });
  }
  // Stable: the page order above, with empty groups placed at their own position.
  return entries.sort((a, b) => a.position - b.position).map(({ position: _, ...entry }) => entry);
}

export interface SubscribeOutcome {
  /** True once the request was taken (the page then says "check your inbox"). */
  done: boolean;
  errors: Record<string, string>;
  values: { email: string; url: string; components: string[]; groups: string[] };
}

export async function submitSubscribeForm(db: Db, request: Request, address: string, channel: 'email' | 'webhook', now: number): Promise<SubscribeOutcome> {
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  const values = { email: text('email').trim(), url: text('url').trim(), components: all('components'), groups: all('groups') };
  if (!getConfig().smtpUrl) return { done: false, errors: { form: 'Subscribing by email is switched off on this site.' }, values };
  if (!allowSubscribeRequest(address, now)) {
    return { done: false, errors: { form: 'Too many subscription requests from your network. Wait a few minutes and try again.' }, values };
  }
  try {
    if (channel === 'email') requestEmailSubscription(db, { email: values.email, components: values.components, groups: values.groups }, now);
    else requestWebhookSubscription(db, { email: values.email, url: values.url, components: values.components, groups: values.groups }, now);
    return { done: true, errors: {}, values };
  } catch (error) {
    if (error instanceof Invalid) return { done: false, errors: error.fields, values };
    throw error;
  }
}
