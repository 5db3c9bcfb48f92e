// Guards the staff workspace (/admin…) and the admin API (/api/admin…): caps request bodies,
// refuses cross-site writes (CSRF), authenticates an API token or resolves the session cookie
// into `locals.staff`, sends strangers to the sign-in page (or a 401 for the API), keeps viewers
// read-only and marks every answer private, no-store. Endpoints then check their token scope.
import type { APIContext, MiddlewareHandler } from 'astro';
import { getConfig } from '../../config.ts';
import { resolveApiToken } from '../api-tokens.ts';
import { resolveSession, type ResolvedSession } from '../auth/sessions.ts';
import { getDb } from '../db.ts';
import { loadSite } from '../site.ts';
import { sessionCaller, tokenCaller } from '../write-api/caller.ts';
import { apiError, unauthorized } from '../write-api/errors.ts';
import { bodyProblem, MAX_ADMIN_BODY_BYTES } from './body-limit.ts';
import { refusalResponse } from './refusal.ts';
import { crossSiteProblem } from './same-origin.ts';
import { readSessionToken } from './session-cookie.ts';
import { withHeaders } from './response-headers.ts';

type Area = 'page' | 'api';

/** Open without a session. */
const PUBLIC_PAGES = new Set(['/admin/sign-in']);
/** Open to every signed-in role for POST, and while TOTP enrolment is pending: your own account. */
const SELF_SERVICE = new Set(['/admin/account', '/admin/sign-out']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function areaOf(pathname: string): Area | null {
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return 'page';
  if (pathname === '/api/admin' || pathname.startsWith('/api/admin/')) return 'api';
  return null;
}

export const adminGuard: MiddlewareHandler = async (context, next) => {
  context.locals.staff = null;
  context.locals.apiCaller = null;
  const pathname = context.url.pathname.replace(/\/+$/, '') || '/';
  const area = areaOf(pathname);
  if (area === null) return next();
  const response = await guard(context, area, pathname, next);
  return markPrivate(response);
};

function refuse(area: Area, status: number, message: string): Response {
  if (area === 'page') return refusalResponse(area, status, message);
  const code = status === 413 ? 'payload_too_large' : status === 411 ? 'length_required' : status === 401 ? 'unauthorized' : 'forbidden';
  return status === 401 ? unauthorized(message, false) : apiError(status, code, message);
}

async function guard(context: APIContext, area: Area, pathname: string, next: () => Promise<Response>): Promise<Response> {
  const { request } = context;
  const writing = !READ_METHODS.has(request.method);
  const problem = writing ? bodyProblem(request) : null;
  if (problem === 'too-large') return refuse(area, 413, `Request body over ${MAX_ADMIN_BODY_BYTES / 1024} KB.`);
  if (problem === 'length-required') return refuse(area, 411, 'Send the body with a Content-Length header.');

  const authorization = request.headers.get('authorization');
  if (area === 'api' && authorization !== null) return authenticateToken(context, authorization, next);

  // Cookie-authenticated writes, sign-in included: only from this site's own pages.
  if (writing) {
    const crossSite = crossSiteProblem(request, { trustProxy: getConfig().trustProxy, siteUrl: loadSite(getDb()).url });
    if (crossSite) return area === 'api' ? apiError(403, 'cross_site', crossSite) : refusalResponse(area, 403, crossSite);
  }

  const session = resolveSession(getDb(), readSessionToken(context.cookies, request), Date.now());
  if (session) {
    context.locals.staff = session.staff;
    if (area === 'api') context.locals.apiCaller = sessionCaller(session.staff);
  }
  if (area === 'page' && PUBLIC_PAGES.has(pathname)) return next();

  const refusal = refusalFor(context, area, pathname, writing, session);
  return refusal ?? next();
}

/**
 * A Bearer token replaces the session entirely (the cookie is ignored), and since a browser never
 * attaches one by itself, a token-authenticated call needs no cross-site check.
 */
function authenticateToken(context: APIContext, authorization: string, next: () => Promise<Response>): Promise<Response> | Response {
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  if (!match) return unauthorized('Send the API token as "Authorization: Bearer <token>".', true);
  const token = resolveApiToken(getDb(), match[1]!, Date.now());
  if (!token) return unauthorized('This API token is unknown or was revoked. Ask an owner for a new one under Workspace → API tokens.', true);
  context.locals.apiCaller = tokenCaller(token);
  return next();
}

function refusalFor(context: APIContext, area: Area, pathname: string, writing: boolean, session: ResolvedSession | null): Response | null {
  if (!session) {
    if (area === 'api') return refuse(area, 401, 'Send an API token (Authorization: Bearer <token>) or sign in first.');
    const back = context.url.pathname + context.url.search;
    return context.redirect(`/admin/sign-in?next=${encodeURIComponent(back)}`, 303);
  }
  if (session.mustEnrolTotp && !SELF_SERVICE.has(pathname)) {
    if (area === 'api') return refuse(area, 403, 'Set up two-step sign-in first.');
    return context.redirect('/admin/account?totp=required', 303);
  }
  if (writing && session.staff.role === 'viewer' && !SELF_SERVICE.has(pathname)) {
    return refuse(area, 403, 'Your role is viewer: you can read the workspace but not change it.');
  }
  return null;
}

function markPrivate(response: Response): Response {
  return withHeaders(response, { 'Cache-Control': 'private, no-store' });
}
