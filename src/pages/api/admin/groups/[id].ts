// GET /api/admin/groups/<id>; PATCH — change the fields sent (scope config:write).
import { getGroupRoute, patchGroupRoute } from '../../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = getGroupRoute;
export const HEAD = getGroupRoute;
export const PATCH = patchGroupRoute;
export const ALL = methodNotAllowed(['GET', 'PATCH']);
