// Subscribing to a component group means every component in it when a notice goes out, including
// components added to the group after the subscription.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { createComponent } from '../../../src/server/commands/components.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { Invalid } from '../../../src/server/errors.ts';
import { addSubscriber, listSubscribers } from '../../../src/server/notify/subscriber-admin.ts';
import { changeSubscribedComponents, confirmSubscription, hashToken, loadManagedSubscription, requestEmailSubscription } from '../../../src/server/notify/subscriptions.ts';
import { listComponentGroupChoices } from '../../../src/server/notify/subscribe-page.ts';
import { EDITOR, openCommandDb, thrown, type CommandDb } from '../../support/command-db.ts';

const start = Date.UTC(2026, 5, 10, 12, 0);
let c: CommandDb;
let clock: number;

beforeEach(() => {
  c = openCommandDb(start);
  clock = start;
});
afterEach(() => c.close());

const groupId = (name: string) => c.db.select().from(s.componentGroups).where(eq(s.componentGroups.name, name)).get()!.publicId;

/** Opens an incident on one component and says which subscribers got a delivery for it. */
function notified(slug: string): { incident: string[]; componentUpdate: string[] } {
  clock += 60_000;
  openIncident(c.db, EDITOR, { title: `${slug} down`, impact: 'major', message: 'Looking.', startedAt: clock, components: [{ componentId: c.component(slug), level: 'major_outage' }] }, clock);
  const rows = c.db
    .select({ event: s.notifications.event, subscriber: s.subscribers.label, at: s.notifications.createdAt })
    .from(s.deliveries)
    .innerJoin(s.notifications, eq(s.notifications.id, s.deliveries.notificationId))
    .innerJoin(s.subscribers, eq(s.subscribers.id, s.deliveries.subscriberId))
    .where(eq(s.notifications.createdAt, clock))
    .all();
  const who = (event: string) => rows.filter((r) => r.event === event).map((r) => r.subscriber!).sort();
  return { incident: who('incident.opened'), componentUpdate: who('component.updated') };
}

describe('group subscriptions', () => {
  it('cover every component of the group, also one added later, and nothing outside it', () => {
    addSubscriber(c.db, EDITOR, { channel: 'webhook', url: 'https://hooks.example.test/sending', email: 'a@example.test', label: 'sending', groups: [groupId('Sending')] }, clock);
    addSubscriber(c.db, EDITOR, { channel: 'slack', url: 'https://hooks.slack.example/relay', label: 'relay', components: ['smtp-relay'] }, clock);

    expect(notified('send-api')).toEqual({ incident: ['sending'], componentUpdate: ['sending'] });
    expect(notified('smtp-relay')).toEqual({ incident: ['relay', 'sending'], componentUpdate: ['sending'] });
    expect(notified('statistics')).toEqual({ incident: [], componentUpdate: [] });

    clock += 60_000;
    createComponent(c.db, EDITOR, { name: 'Dedicated IPs', slug: 'dedicated-ips', description: '', group: groupId('Sending'), startDate: '', slaPolicy: '' }, clock);
    expect(notified('dedicated-ips')).toEqual({ incident: ['sending'], componentUpdate: ['sending'] });

    const listed = listSubscribers(c.db).find((r) => r.label === 'sending')!;
    expect(listed).toMatchObject({ allComponents: false, components: [], groups: ['Sending'] });
  });

  it('are chosen on the public form and changed on the manage page; an unknown group is refused beside its field', () => {
    const sending = groupId('Sending');
    expect(thrown(() => requestEmailSubscription(c.db, { email: 'erin@example.test', groups: ['nosuchgroup0'] }, clock))).toEqual(
      new Invalid({ groups: 'Choose groups from the list; one of them does not exist (any more).' }),
    );
    requestEmailSubscription(c.db, { email: 'erin@example.test', groups: [sending], components: ['statistics'] }, clock);
    const pending = c.db.select().from(s.subscribers).where(eq(s.subscribers.email, 'erin@example.test')).get()!;
    expect(pending.allComponents).toBe(false);
    // Confirm with a token of our own making: the mail's token is hashed in the row.
    const token = 'test-token-for-confirmation-0000000000000';
    c.db.update(s.subscribers).set({ confirmTokenHash: hashToken(token) }).where(eq(s.subscribers.id, pending.id)).run();
    const { manageToken } = confirmSubscription(c.db, token, clock);
    expect(loadManagedSubscription(c.db, manageToken)).toMatchObject({ allComponents: false, componentSlugs: ['statistics'], groupIds: [sending] });

    changeSubscribedComponents(c.db, manageToken, { groups: [groupId('Receiving')] }, clock);
    expect(loadManagedSubscription(c.db, manageToken)).toMatchObject({ allComponents: false, componentSlugs: [], groupIds: [groupId('Receiving')] });
    changeSubscribedComponents(c.db, manageToken, {}, clock);
    expect(loadManagedSubscription(c.db, manageToken)).toMatchObject({ allComponents: true, componentSlugs: [], groupIds: [] });
  });

  it('are offered on the forms, empty groups too', () => {
    clock += 60_000;
    c.db.insert(s.componentGroups).values({ publicId: 'emptygroup01', name: 'Coming soon', position: 99, createdAt: clock, updatedAt: clock }).run();
    const choices = listComponentGroupChoices(c.db);
    expect(choices.map((g) => g.group)).toEqual(['Sending', 'Receiving', null, null, 'Coming soon']);
    expect(choices[0]).toMatchObject({ groupId: groupId('Sending'), components: [{ slug: 'send-api', name: 'Send API' }, { slug: 'smtp-relay', name: 'SMTP relay' }] });
    expect(choices.at(-1)).toEqual({ groupId: 'emptygroup01', group: 'Coming soon', components: [] });
  });
});
