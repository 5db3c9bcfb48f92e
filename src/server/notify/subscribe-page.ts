// The public subscribe pages' one server call each: what the form shows, and what a posted form
// does. Bad input comes back with a message per field and the typed values; a good request always
// gets the same answer, whether or not the address was known.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { getConfig } from '../../config.ts';
import { pageOrder } from '../component-order.ts';
import { Invalid } from '../errors.ts';
import { loadSite, type Site } from '../site.ts';
import { allowSubscribeRequest } from './subscribe-throttle.ts';
import { requestEmailSubscription, requestWebhookSubscription } from './subscriptions.ts';

export interface ComponentGroupChoice {
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
  const rows = db
    .select({ slug: s.components.slug, name: s.components.name, group: s.componentGroups.name })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .orderBy(...pageOrder)
    .all();
  const groups: ComponentGroupChoice[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last.group === row.group) last.components.push({ slug: row.slug, name: row.name });
    else groups.push({ group: row.group, components: [{ slug: row.slug, name: row.name }] });
  }
  return { site: loadSite(db), emailEnabled: getConfig().smtpUrl !== null, groups };
}

export interface SubscribeOutcome {
  /** True once the request was taken (the page then says "check your inbox"). */
  done: boolean;
  errors: Record<string, string>;
  values: { email: string; url: string; components: string[] };
}

export async function submitSubscribeForm(db: Db, request: Request, address: string, channel: 'email' | 'webhook', now: number): Promise<SubscribeOutcome> {
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const values = { email: text('email').trim(), url: text('url').trim(), components: form.getAll('components').filter((v): v is string => typeof v === 'string') };
  if (!getConfig().smtpUrl) return { done: false, errors: { form: 'Subscribing by email is switched off on this site.' }, values };
  if (!allowSubscribeRequest(address, now)) {
    return { done: false, errors: { form: 'Too many subscription requests from your network. Wait a few minutes and try again.' }, values };
  }
  try {
    if (channel === 'email') requestEmailSubscription(db, { email: values.email, components: values.components }, now);
    else requestWebhookSubscription(db, { email: values.email, url: values.url, components: values.components }, now);
    return { done: true, errors: {}, values };
  } catch (error) {
    if (error instanceof Invalid) return { done: false, errors: error.fields, values };
    throw error;
  }
}
