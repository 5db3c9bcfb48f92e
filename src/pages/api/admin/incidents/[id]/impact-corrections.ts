// POST /api/admin/incidents/<id>/impact-corrections — correct the impact window, with a reason.
import { correctImpactRoute } from '../../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = correctImpactRoute;
export const ALL = methodNotAllowed(['POST']);
