// POST /api/admin/maintenance/<id>/updates — a plain update on the window.
import { postUpdateRoute } from '../../../../../server/write-api/maintenance.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = postUpdateRoute;
export const ALL = methodNotAllowed(['POST']);
