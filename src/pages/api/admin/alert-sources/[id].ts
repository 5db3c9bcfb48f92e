// GET /api/admin/alert-sources/<id>; PATCH — replace its label → component rules (scope config:write).
import { getAlertSourceRoute, patchAlertSourceRoute } from '../../../../server/write-api/alerts.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = getAlertSourceRoute;
export const HEAD = getAlertSourceRoute;
export const PATCH = patchAlertSourceRoute;
export const ALL = methodNotAllowed(['GET', 'PATCH']);
