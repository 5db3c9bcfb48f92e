// GET /api/admin/settings — the site settings; PATCH — change the fields sent (scope config:write).
import { getSettingsRoute, patchSettingsRoute } from '../../../server/write-api/config.ts';
import { methodNotAllowed } from '../../../server/write-api/endpoint.ts';

export const GET = getSettingsRoute;
export const HEAD = getSettingsRoute;
export const PATCH = patchSettingsRoute;
export const ALL = methodNotAllowed(['GET', 'PATCH']);
