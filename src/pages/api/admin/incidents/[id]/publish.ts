// POST /api/admin/incidents/<id>/publish — publish an alert's draft (one click).
import { publishDraftRoute } from '../../../../../server/write-api/alerts.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = publishDraftRoute;
export const ALL = methodNotAllowed(['POST']);
