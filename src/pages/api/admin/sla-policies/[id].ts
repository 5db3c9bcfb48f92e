// GET /api/admin/sla-policies/<id>; PATCH — change the fields sent (scope config:write).
import { getPolicyRoute, patchPolicyRoute } from '../../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = getPolicyRoute;
export const HEAD = getPolicyRoute;
export const PATCH = patchPolicyRoute;
export const ALL = methodNotAllowed(['GET', 'PATCH']);
