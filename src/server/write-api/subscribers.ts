// Subscriber endpoints of the admin API (scope subscribers:write, for listing too: addresses are
// personal data, not something a read token should see).
import { iso } from '../api/status-api-objects.ts';
import { addSubscriber, addSubscriberInput, listSubscribers, removeSubscriber, type AddSubscriberInput, type SubscriberListing } from '../notify/subscriber-admin.ts';
import { NotFound } from '../errors.ts';
import { apiRoute } from './endpoint.ts';

const SCOPES = ['subscribers:write'] as const;

function subscriberDocument(s: SubscriberListing) {
  return {
    id: s.publicId,
    channel: s.channel,
    email: s.email,
    url: s.url,
    label: s.label,
    confirmed: s.confirmed,
    components: s.allComponents ? null : s.components,
    groups: s.allComponents ? null : s.groups,
    source: s.source,
    created_at: iso(s.createdAt),
    disabled_at: s.disabledAt === null ? null : iso(s.disabledAt),
    disabled_reason: s.disabledReason,
    last_delivery: s.lastDelivery && { status: s.lastDelivery.status, at: s.lastDelivery.at === null ? null : iso(s.lastDelivery.at), error: s.lastDelivery.error },
  };
}

export const listSubscribersRoute = apiRoute({
  scopes: SCOPES,
  run: ({ db }) => ({ body: { subscribers: listSubscribers(db, { limit: 10_000 }).map(subscriberDocument) } }),
});

export const addSubscriberRoute = apiRoute<AddSubscriberInput>({
  scopes: SCOPES,
  body: { schema: addSubscriberInput },
  run: ({ db, caller, input, now }) => {
    const { publicId, secret } = addSubscriber(db, caller.authority, input, now);
    const added = listSubscribers(db, { limit: 10_000 }).find((s) => s.publicId === publicId);
    if (!added) throw new NotFound(`No subscriber ${publicId}`);
    // The webhook secret is shown in this answer only.
    return { status: 201, headers: { Location: `/api/admin/subscribers/${publicId}` }, body: { subscriber: { ...subscriberDocument(added), secret } } };
  },
});

export const removeSubscriberRoute = apiRoute({
  scopes: SCOPES,
  run: ({ db, caller, params, now }) => {
    removeSubscriber(db, caller.authority, params.id ?? '', now);
    return new Response(null, { status: 204 });
  },
});
