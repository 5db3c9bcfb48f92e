// POST /api/admin/maintenance/<id>/start|verify|complete|cancel — move the window along.
import { stepRoute } from '../../../../../server/write-api/maintenance.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = stepRoute;
export const ALL = methodNotAllowed(['POST']);
