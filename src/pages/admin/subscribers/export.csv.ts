// GET /admin/subscribers/export.csv — every subscriber, for owners only (personal data).
import type { APIRoute } from 'astro';
import { hasRole } from '../../../server/auth/staff.ts';
import { getDb } from '../../../server/db.ts';
import { refusalResponse } from '../../../server/http/refusal.ts';
import { subscribersCsv } from '../../../server/notify/workspace.ts';

export const GET: APIRoute = ({ locals }) => {
  if (!hasRole(locals.staff ?? null, 'owner')) return refusalResponse('page', 403, 'Only an owner can export subscribers: the addresses are personal data.');
  return new Response(subscribersCsv(getDb()), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="subscribers.csv"' },
  });
};
