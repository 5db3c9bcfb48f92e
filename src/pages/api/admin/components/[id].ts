// GET /api/admin/components/<id>; PATCH — change the fields sent (scope config:write).
import { getComponentRoute, patchComponentRoute } from '../../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = getComponentRoute;
export const HEAD = getComponentRoute;
export const PATCH = patchComponentRoute;
export const ALL = methodNotAllowed(['GET', 'PATCH']);
