import type { APIRoute } from 'astro';
import { getUptimeDocument } from '../../server/api/uptime-document.ts';
import { getDb } from '../../server/db.ts';
import { respondJsonOrError } from '../../server/http/respond.ts';

export const GET: APIRoute = ({ url }) => respondJsonOrError(() => getUptimeDocument(getDb(), url.searchParams.get('month'), Date.now()));
