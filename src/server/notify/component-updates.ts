// `component_update` webhooks (COMPATIBILITY.md, "Outgoing webhooks"): when a notice about an
// incident or a maintenance window goes out, each of its components whose level differs from the
// level last announced gets its own notification, delivered to webhook subscribers of that
// component (or of everything). Written in the command's transaction, like every notification.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { COMPONENT_STATUS_LABELS, type ComponentStatus } from '../../domain/status.ts';
import type { ApiComponent } from '../api/status-api-objects.ts';
import { subscribedTo } from './audience.ts';
import type { NotificationContent } from './content.ts';

export interface ComponentUpdateContext {
  site: { publicId: string; name: string; url: string };
  /** The webhook envelope's `page`, with the status at this moment. */
  page: { id: string; status_indicator: string; status_description: string };
}

/**
 * Announces the components (their `status` already the level now) whose level changed since the
 * last announcement; a component never announced counts as operational before. Returns how many
 * changes were announced.
 */
export function publishComponentUpdates(db: Db, components: readonly ApiComponent[], context: ComponentUpdateContext, now: number): number {
  if (components.length === 0) return 0;
  const ids = JSON.stringify(components.map((c) => c.id));
  const known = db.all<{ publicId: string; id: number; slug: string; announced: ComponentStatus | null }>(sql`
    select c.public_id as publicId, c.id, c.slug, a.level as announced
    from components c left join component_announcements a on a.component_id = c.id
    where c.public_id in (select value from json_each(${ids}))`);
  let changes = 0;
  for (const component of components) {
    const row = known.find((k) => k.publicId === component.id);
    if (!row) continue;
    const old = row.announced ?? 'operational';
    if (old === component.status) continue;
    const at = new Date(now).toISOString();
    const content: NotificationContent = {
      event: 'component.updated',
      site: { id: context.site.publicId, name: context.site.name, url: context.site.url },
      subject: 'component',
      threadId: component.id,
      title: component.name,
      headline: COMPONENT_STATUS_LABELS[component.status],
      bodyMd: '',
      bodyHtml: '',
      url: `${context.site.url}/components/${row.slug}`,
      components: [{ id: component.id, name: component.name, status: component.status, label: COMPONENT_STATUS_LABELS[component.status] }],
      facts: [`${component.name}: ${COMPONENT_STATUS_LABELS[old]} → ${COMPONENT_STATUS_LABELS[component.status]}.`],
      at: now,
      webhook: {
        page: context.page,
        component_update: { id: newPublicId(), component_id: component.id, component_type: 'component', old_status: old, new_status: component.status, created_at: at },
        component: { ...component },
      },
    };
    enqueueComponentUpdate(db, content, row.id, now);
    db.insert(s.componentAnnouncements)
      .values({ componentId: row.id, level: component.status, at: now })
      .onConflictDoUpdate({ target: s.componentAnnouncements.componentId, set: { level: component.status, at: now } })
      .run();
    changes++;
  }
  return changes;
}

/**
 * The notification and, in one INSERT … SELECT, a delivery per webhook subscriber of the
 * component; nothing when nobody listens (the workspace's list would fill with empty rows).
 */
function enqueueComponentUpdate(db: Db, content: NotificationContent, componentId: number, now: number): void {
  const audience = sql`from subscribers sub
    where sub.channel = 'webhook' and sub.confirmed_at is not null and sub.disabled_at is null and sub.source <> 'demo'
      and ${subscribedTo([componentId])}`;
  const recipients = db.get<{ n: number }>(sql`select count(*) as n ${audience}`)?.n ?? 0;
  if (recipients === 0) return;
  const publicId = newPublicId();
  const notification = db.get<{ id: number }>(sql`
    insert into notifications (public_id, event, subject, content, recipients, created_at)
    values (${publicId}, ${content.event}, ${`[${content.site.name}] ${content.title}: ${content.headline}`}, ${JSON.stringify(content)}, ${recipients}, ${now})
    returning id`)!;
  db.run(sql`
    insert into deliveries (key, kind, notification_id, subscriber_id, status, due_at, next_attempt_at, attempts, created_at)
    select ${publicId} || '.' || sub.public_id, sub.channel, ${notification.id}, sub.id, 'pending', ${now}, ${now}, 0, ${now}
    ${audience}`);
}
