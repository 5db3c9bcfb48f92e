import type { APIRoute } from 'astro';
import { getIncidentDocument } from '../../../server/api/incident-document.ts';
import { getDb } from '../../../server/db.ts';
import { respondJsonOrError } from '../../../server/http/respond.ts';

export const GET: APIRoute = ({ params }) => respondJsonOrError(() => getIncidentDocument(getDb(), params.id ?? '', Date.now()));
