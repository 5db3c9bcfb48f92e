import type { APIRoute } from 'astro';
import { getDb } from '../../../server/db.ts';
import { getIncidentsDocument } from '../../../server/api/status-api.ts';
import { respondJson } from '../../../server/http/respond.ts';

// GET, and HEAD through Astro's fallback to GET.
export const GET: APIRoute = () => respondJson(getIncidentsDocument(getDb(), Date.now(), 'all'));
