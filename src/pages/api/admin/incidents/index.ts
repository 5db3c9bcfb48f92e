// POST /api/admin/incidents — open an incident.
import { openIncidentRoute } from '../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const POST = openIncidentRoute;
export const ALL = methodNotAllowed(['POST']);
