import type { APIRoute } from 'astro';
import { getOverallBadge } from '../server/badge.ts';
import { getDb } from '../server/db.ts';
import { respond } from '../server/http/respond.ts';

export const GET: APIRoute = () => respond(getOverallBadge(getDb(), Date.now()), 'svg');
