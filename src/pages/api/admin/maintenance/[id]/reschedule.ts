// POST /api/admin/maintenance/<id>/reschedule — move a scheduled window (same id; warnings must be acknowledged).
import { rescheduleRoute } from '../../../../../server/write-api/maintenance.ts';
import { methodNotAllowed } from '../../../../../server/write-api/endpoint.ts';

export const POST = rescheduleRoute;
export const ALL = methodNotAllowed(['POST']);
