// A few demo subscribers so the workspace's subscriber pages have something to show. They are
// marked 'demo' and never sent to: the addresses and URLs are made up.
import { randomBytes } from 'node:crypto';
import * as s from '../schema.ts';
import { newPublicId } from '../ids.ts';
import type { ComponentIds, Tx } from './build.ts';

const DAY = 86_400_000;

interface DemoSubscriber {
  channel: (typeof s.SUBSCRIBER_CHANNELS)[number];
  email?: string;
  url?: string;
  label?: string;
  components?: (keyof ComponentIds)[];
  confirmed: boolean;
  ageDays: number;
}

const DEMO: DemoSubscriber[] = [
  { channel: 'email', email: 'it-team@northwind.example', confirmed: true, ageDays: 80 },
  { channel: 'email', email: 'mail-admin@contoso.example', components: ['smtp-relay', 'inbound-email'], confirmed: true, ageDays: 45 },
  { channel: 'email', email: 'ops@fabrikam.example', components: ['send-api'], confirmed: true, ageDays: 12 },
  { channel: 'email', email: 'newcomer@adatum.example', confirmed: false, ageDays: 0 },
  { channel: 'webhook', email: 'devops@tailspin.example', url: 'https://hooks.tailspin.example/candor', components: ['send-api', 'webhooks'], confirmed: true, ageDays: 30 },
  { channel: 'slack', url: 'https://hooks.slack.com/services/T000/B000/demo', label: '#incidents (Postwise Slack)', confirmed: true, ageDays: 60 },
  { channel: 'discord', url: 'https://discord.com/api/webhooks/0/demo', label: 'Community Discord #status', confirmed: true, ageDays: 20 },
];

export function addDemoSubscribers(tx: Tx, ids: ComponentIds, now: number): void {
  for (const d of DEMO) {
    const createdAt = now - d.ageDays * DAY - 3_600_000;
    const row = tx
      .insert(s.subscribers)
      .values({
        publicId: newPublicId(),
        channel: d.channel,
        email: d.email ?? null,
        url: d.url ?? null,
        secret: d.channel === 'webhook' ? `whsec_${randomBytes(24).toString('base64')}` : null,
        label: d.label ?? null,
        allComponents: !d.components,
        confirmedAt: d.confirmed ? createdAt + 600_000 : null,
        confirmExpiresAt: d.confirmed ? null : createdAt + 2 * DAY,
        confirmTokenHash: d.confirmed ? null : randomBytes(32).toString('hex'),
        confirmationSentAt: createdAt,
        manageToken: randomBytes(32).toString('base64url'),
        source: 'demo',
        createdAt,
        updatedAt: createdAt,
      })
      .returning({ id: s.subscribers.id })
      .get();
    for (const slug of d.components ?? []) tx.insert(s.subscriberComponents).values({ subscriberId: row.id, componentId: ids[slug] }).run();
  }
}
