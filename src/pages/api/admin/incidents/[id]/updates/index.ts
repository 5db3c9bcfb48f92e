// POST /api/admin/incidents/<id>/updates — an update, apology or correction.
import { postUpdateRoute } from '../../../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../../../server/write-api/endpoint.ts';

export const POST = postUpdateRoute;
export const ALL = methodNotAllowed(['POST']);
