import type { APIRoute } from 'astro';
import { getIncidentDocument } from '../../../server/api/incident-document.ts';
import { getDb } from '../../../server/db.ts';
import { respondJsonOrError } from '../../../server/http/respond.ts';
import { dependsOn, incidentScope } from '../../../server/http/page-scopes.ts';

export const GET: APIRoute = ({ params, locals }) => {
  dependsOn(locals, [incidentScope(params.id ?? '')]);
  return respondJsonOrError(() => getIncidentDocument(getDb(), params.id ?? '', Date.now()));
};
