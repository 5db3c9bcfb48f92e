import type { APIRoute } from 'astro';
import { getStatusDocument } from '../../server/api/status-document.ts';
import { getDb } from '../../server/db.ts';
import { respondJson } from '../../server/http/respond.ts';

export const GET: APIRoute = () => respondJson(getStatusDocument(getDb(), Date.now()));
