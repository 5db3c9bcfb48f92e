// GET /api/admin/incidents/<id> — the incident with its timeline and durations.
import { getIncident } from '../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = getIncident;
export const HEAD = getIncident;
export const ALL = methodNotAllowed(['GET']);
