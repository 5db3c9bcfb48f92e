// PUT /api/admin/components/<id>/alert-levels {"enabled": true|false} — automatic levels from
// alerts for this component (off by default; scope config:write).
import { putComponentAlertLevelsRoute } from '../../../../../server/write-api/alerts.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const PUT = putComponentAlertLevelsRoute;
export const ALL = methodNotAllowed(['PUT']);
