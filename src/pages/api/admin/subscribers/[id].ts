// DELETE /api/admin/subscribers/<id> — remove a subscriber (its address is deleted).
import { removeSubscriberRoute } from '../../../../server/write-api/subscribers.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const DELETE = removeSubscriberRoute;
export const ALL = methodNotAllowed(['DELETE']);
