// GET /api/admin/alert-sources; POST — add one and get its token, once (scope config:write).
import { createAlertSourceRoute, listAlertSourcesRoute } from '../../../../server/write-api/alerts.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = listAlertSourcesRoute;
export const HEAD = listAlertSourcesRoute;
export const POST = createAlertSourceRoute;
export const ALL = methodNotAllowed(['GET', 'POST']);
