import type { APIRoute } from 'astro';
import { getDb } from '../server/db.ts';
import { respond } from '../server/http/respond.ts';
import { getMaintenanceCalendar } from '../server/maintenance-calendar.ts';

export const GET: APIRoute = () => respond(getMaintenanceCalendar(getDb()), 'ics');
