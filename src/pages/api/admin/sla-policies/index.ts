// GET /api/admin/sla-policies — every SLA policy; POST — create one (scope config:write).
import { createPolicyRoute, listPoliciesRoute } from '../../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = listPoliciesRoute;
export const HEAD = listPoliciesRoute;
export const POST = createPolicyRoute;
export const ALL = methodNotAllowed(['GET', 'POST']);
