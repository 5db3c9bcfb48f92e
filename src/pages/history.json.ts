import type { APIRoute } from 'astro';
import { getDb } from '../server/db.ts';
import { getHistoryJsonFeed } from '../server/feeds/history-feeds.ts';
import { respond } from '../server/http/respond.ts';

export const GET: APIRoute = () => respond(getHistoryJsonFeed(getDb(), Date.now()), 'jsonFeed');
