// Guards the staff workspace (/admin…) and the admin API (/api/admin…): caps request bodies,
// refuses cross-site writes (CSRF), resolves the session cookie into `locals.staff`, sends
// strangers to the sign-in page (or a 401 for the API), keeps viewers read-only and marks every
// answer private, no-store.
import type { APIContext, MiddlewareHandler } from 'astro';
import { resolveSession, type ResolvedSession } from '../auth/sessions.ts';
import { getConfig } from '../../config.ts';
import { getDb } from '../db.ts';
import { loadSite } from '../site.ts';
import { bodyProblem, MAX_ADMIN_BODY_BYTES } from './body-limit.ts';
import { refusalResponse } from './refusal.ts';
import { crossSiteProblem } from './same-origin.ts';
import { readSessionToken } from './session-cookie.ts';

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
  const pathname = context.url.pathname.replace(/\/+$/, '') || '/';
  const area = areaOf(pathname);
  if (area === null) return next();
  const response = await guard(context, area, pathname, next);
  return markPrivate(response);
};

async function guard(context: APIContext, area: Area, pathname: string, next: () => Promise<Response>): Promise<Response> {
  const { request } = context;
  const writing = !READ_METHODS.has(request.method);
  const problem = writing ? bodyProblem(request) : null;
  if (problem === 'too-large') return refusalResponse(area, 413, `Request body over ${MAX_ADMIN_BODY_BYTES / 1024} KB.`);
  if (problem === 'length-required') return refusalResponse(area, 411, 'Send the body with a Content-Length header.');
  // Hook for the write API: a Bearer token is checked by the API's own handler, not here.
  if (area === 'api' && request.headers.get('authorization')?.startsWith('Bearer ')) return next();

  // Cookie-authenticated writes, sign-in included: only from this site's own pages.
  if (writing) {
    const crossSite = crossSiteProblem(request, { trustProxy: getConfig().trustProxy, siteUrl: loadSite(getDb()).url });
    if (crossSite) return refusalResponse(area, 403, crossSite);
  }

  const session = resolveSession(getDb(), readSessionToken(context.cookies, request), Date.now());
  if (session) context.locals.staff = session.staff;
  if (area === 'page' && PUBLIC_PAGES.has(pathname)) return next();

  const refusal = refusalFor(context, area, pathname, writing, session);
  return refusal ?? next();
}

function refusalFor(context: APIContext, area: Area, pathname: string, writing: boolean, session: ResolvedSession | null): Response | null {
  if (!session) {
    if (area === 'api') return refusalResponse(area, 401, 'Sign in first.');
    const back = context.url.pathname + context.url.search;
    return context.redirect(`/admin/sign-in?next=${encodeURIComponent(back)}`, 303);
  }
  if (session.mustEnrolTotp && !SELF_SERVICE.has(pathname)) {
    if (area === 'api') return refusalResponse(area, 403, 'Set up two-step sign-in first.');
    return context.redirect('/admin/account?totp=required', 303);
  }
  if (writing && session.staff.role === 'viewer' && !SELF_SERVICE.has(pathname)) {
    return refusalResponse(area, 403, 'Your role is viewer: you can read the workspace but not change it.');
  }
  return null;
}

// Astro keeps cookies set during rendering on the response object itself.
const ASTRO_COOKIES = Symbol.for('astro.cookies');

function markPrivate(response: Response): Response {
  try {
    response.headers.set('Cache-Control', 'private, no-store');
    return response;
  } catch {
    // Immutable headers (Response.redirect and the like): copy, keeping the cookies.
    const copy = new Response(response.body, response);
    copy.headers.set('Cache-Control', 'private, no-store');
    const cookies = Reflect.get(response, ASTRO_COOKIES);
    if (cookies !== undefined) Reflect.set(copy, ASTRO_COOKIES, cookies);
    return copy;
  }
}
