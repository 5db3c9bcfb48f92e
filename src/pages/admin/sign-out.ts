// POST only: a link or an image tag elsewhere must not be able to sign anyone out.
import type { APIRoute } from 'astro';
import { revokeSession } from '../../server/auth/sessions.ts';
import { getDb } from '../../server/db.ts';
import { clearSessionCookie, readSessionToken } from '../../server/http/session-cookie.ts';

export const POST: APIRoute = ({ cookies, request, redirect }) => {
  const token = readSessionToken(cookies, request);
  if (token) revokeSession(getDb(), token, Date.now());
  clearSessionCookie(cookies, request);
  return redirect('/admin/sign-in', 303);
};
