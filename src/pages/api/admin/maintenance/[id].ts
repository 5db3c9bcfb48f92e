// GET /api/admin/maintenance/<id> — the window, its updates and its policy verdict.
import { getMaintenance } from '../../../../server/write-api/maintenance.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = getMaintenance;
export const HEAD = getMaintenance;
export const ALL = methodNotAllowed(['GET']);
