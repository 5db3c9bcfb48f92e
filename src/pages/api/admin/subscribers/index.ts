// GET /api/admin/subscribers — every subscriber and destination; POST — add one.
import { addSubscriberRoute, listSubscribersRoute } from '../../../../server/write-api/subscribers.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = listSubscribersRoute;
export const HEAD = listSubscribersRoute;
export const POST = addSubscriberRoute;
export const ALL = methodNotAllowed(['GET', 'POST']);
