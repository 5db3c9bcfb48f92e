// GET /api/admin/incidents/drafts — alert drafts waiting to be published, with their notes.
import { listDraftsRoute } from '../../../../server/write-api/alerts.ts';
import { methodNotAllowed } from '../../../../server/write-api/endpoint.ts';

export const GET = listDraftsRoute;
export const HEAD = listDraftsRoute;
export const ALL = methodNotAllowed(['GET']);
