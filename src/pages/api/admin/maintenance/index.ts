// POST /api/admin/maintenance — schedule a window (policy warnings must be acknowledged).
import { scheduleRoute } from '../../../../server/write-api/maintenance.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const POST = scheduleRoute;
export const ALL = methodNotAllowed(['POST']);
