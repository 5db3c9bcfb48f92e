import type { APIRoute } from 'astro';
import { getDb } from '../server/db.ts';
import { getHistoryAtom } from '../server/feeds/history-feeds.ts';
import { respond } from '../server/http/respond.ts';

export const GET: APIRoute = () => respond(getHistoryAtom(getDb(), Date.now()), 'atom');
