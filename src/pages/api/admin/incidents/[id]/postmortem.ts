// PUT /api/admin/incidents/<id>/postmortem — save the post-mortem as a draft or publish it.
import { putPostmortemRoute } from '../../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const PUT = putPostmortemRoute;
export const ALL = methodNotAllowed(['PUT']);
