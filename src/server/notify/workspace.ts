// The workspace's notification pages: subscribers and destinations (with their last delivery),
// the add and remove forms, the owner's CSV export, and what each notification's deliveries did.
import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { getConfig } from '../../config.ts';
import type { FormCall, FormState, FormValues, PageContext } from '../admin/handle-form.ts';
import { hasRole } from '../auth/staff.ts';
import { loadSite } from '../site.ts';
import { deliveryCounts, selectNotifications } from './delivery-view.ts';
import { getSubscribePage, type ComponentGroupChoice } from './subscribe-page.ts';
import { addSubscriber, CHANNEL_LABELS, countSubscribers, listSubscribers, removeSubscriber, type AddedSubscriber, type SubscriberListing } from './subscriber-admin.ts';

export interface SubscribersScreen {
  emailEnabled: boolean;
  counts: { channel: string; confirmed: number; unconfirmed: number }[];
  subscribers: SubscriberListing[];
  groups: ComponentGroupChoice[];
  timeZone: string;
}

export function getSubscribersScreen(db: Db, options: { search?: string; channel?: string }): SubscribersScreen {
  return {
    emailEnabled: getConfig().smtpUrl !== null,
    counts: countSubscribers(db),
    subscribers: listSubscribers(db, options),
    groups: getSubscribePage(db).groups,
    timeZone: loadSite(db).timeZone,
  };
}

/** The subscribers page's forms, for handleForm: add a destination (stays to show a webhook's secret once) or remove one. */
export const SUBSCRIBERS_FORM = {
  load: ({ db, url }: PageContext) => getSubscribersScreen(db, { search: url.searchParams.get('q') ?? '', channel: url.searchParams.get('channel') || undefined }),
  initial: () => ({ channel: 'slack' }) as FormValues,
  read: (form: FormData) =>
    ({
      ...Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')),
      components: form.getAll('components').join(' '),
      groups: form.getAll('groups').join(' '),
    }) as FormValues,
  run: (call: FormCall) => runSubscriberForm(call),
  redirect: (result: { added: AddedSubscriber | null }) => (result.added?.secret ? null : result.added ? '/admin/subscribers?added=1' : '/admin/subscribers?removed=1'),
};

/** What the subscribers page shows around its forms: the filters, the ticked choices, who may change. */
export function subscribersView(page: FormState<SubscribersScreen, FormValues, unknown>, url: URL) {
  return {
    search: url.searchParams.get('q') ?? '',
    channel: url.searchParams.get('channel') ?? '',
    canWrite: hasRole(page.staff, 'editor'),
    isOwner: hasRole(page.staff, 'owner'),
    channelLabel: (channel: string) => CHANNEL_LABELS[channel as keyof typeof CHANNEL_LABELS] ?? channel,
    channelOptions: Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label })),
    ticked: new Set((page.values.components ?? '').split(' ').filter(Boolean)),
    tickedGroups: new Set((page.values.groups ?? '').split(' ').filter(Boolean)),
    choiceText: (r: SubscriberListing) => (r.allComponents ? 'All' : [...r.groups.map((g) => `All of ${g}`), ...r.components].join(', ')),
    addFailed: page.posted === 'add' && page.status !== null,
  };
}

/** The add form (intent "add") or a row's remove button (intent "remove"), onto the commands. */
export function runSubscriberForm(call: FormCall): { added: AddedSubscriber | null } {
  const { db, staff, now } = call;
  if (call.intent === 'remove') {
    removeSubscriber(db, staff, call.text('subscriber'), now);
    return { added: null };
  }
  const optional = (name: string) => (call.text(name).trim() === '' ? undefined : call.text(name));
  const channel = call.text('channel') as s.SubscriberChannel;
  return {
    added: addSubscriber(
      db,
      staff,
      { channel, email: optional('email'), url: optional('url'), label: optional('label'), components: call.all('components'), groups: call.all('groups') },
      now,
    ),
  };
}

const csvCell = (value: string | number | boolean | null) => {
  const text = value === null ? '' : String(value);
  // A leading = + - @ would be a formula in a spreadsheet: prefix it so it stays text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Every subscriber as CSV, for the owner (addresses are personal data). */
export function subscribersCsv(db: Db): string {
  const header = ['id', 'channel', 'email', 'url', 'label', 'confirmed', 'components', 'groups', 'source', 'created_at', 'disabled_at', 'disabled_reason'];
  const rows = listSubscribers(db, { limit: 1_000_000 }).map((r) =>
    [
      r.publicId,
      r.channel,
      r.email,
      r.url,
      r.label,
      r.confirmed,
      r.allComponents ? 'all' : r.components.join('; '),
      r.groups.join('; '),
      r.source,
      new Date(r.createdAt).toISOString(),
      r.disabledAt === null ? null : new Date(r.disabledAt).toISOString(),
      r.disabledReason,
    ].map(csvCell).join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

export interface NotificationRow {
  publicId: string;
  event: string;
  subject: string;
  createdAt: number;
  recipients: number;
  delivered: number;
  pending: number;
  failed: number;
  cancelled: number;
  /** The latest failure among its deliveries. */
  lastError: string | null;
  link: string | null;
}

/** The newest notifications with how their deliveries stand. */
export function listNotifications(db: Db, limit = 50): NotificationRow[] {
  const rows = selectNotifications(db).orderBy(desc(s.notifications.createdAt), desc(s.notifications.id)).limit(limit).all();
  return rows.map((r) => {
    const counts = deliveryCounts(db, r.id);
    const lastError = db.get<{ e: string | null }>(sql`
      select last_error as e from deliveries where notification_id = ${r.id} and last_error is not null order by id desc limit 1`)?.e ?? null;
    return {
      publicId: r.publicId,
      event: r.event,
      subject: r.subject,
      createdAt: r.createdAt,
      recipients: r.recipients,
      ...counts,
      lastError,
      link: r.incident ? `/admin/incidents/${r.incident}` : r.maintenance ? `/admin/maintenance/${r.maintenance}` : null,
    };
  });
}
