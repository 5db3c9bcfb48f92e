// POST /api/admin/maintenance/past — record a window that already happened.
import { recordPastRoute } from '../../../../server/write-api/maintenance.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const POST = recordPastRoute;
export const ALL = methodNotAllowed(['POST']);
