// POST /api/admin/incidents/<id>/resolve — close it (refused while customers are affected).
import { resolveRoute } from '../../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = resolveRoute;
export const ALL = methodNotAllowed(['POST']);
