// POST /api/admin/alert-sources/<id>/token — a new token for the source, shown once; the old one
// stops working at once (scope config:write).
import { rotateAlertSourceTokenRoute } from '../../../../../server/write-api/alerts.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = rotateAlertSourceTokenRoute;
export const ALL = methodNotAllowed(['POST']);
