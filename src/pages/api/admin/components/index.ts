// GET /api/admin/components — every component; POST — create one (scope config:write).
import { createComponentRoute, listComponentsRoute } from '../../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = listComponentsRoute;
export const HEAD = listComponentsRoute;
export const POST = createComponentRoute;
export const ALL = methodNotAllowed(['GET', 'POST']);
