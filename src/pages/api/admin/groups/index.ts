// GET /api/admin/groups — every component group; POST — create one (scope config:write).
import { createGroupRoute, listGroupsRoute } from '../../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = listGroupsRoute;
export const HEAD = listGroupsRoute;
export const POST = createGroupRoute;
export const ALL = methodNotAllowed(['GET', 'POST']);
