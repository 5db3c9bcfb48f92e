// PATCH /api/admin/incidents/<id>/updates/<updateId> — edit an update's text (revision kept).
import { editUpdateRoute } from '../../../../../../server/write-api/incidents.ts';
import { methodNotAllowed } from '../../../../../../server/write-api/endpoint.ts';

export const PATCH = editUpdateRoute;
export const ALL = methodNotAllowed(['PATCH']);
