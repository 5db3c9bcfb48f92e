// The session cookie as pages and the guard handle it: its name and attributes depend on whether
// the browser sees HTTPS, which only a trusted proxy may vouch for.
import type { AstroCookies } from 'astro';
import { getConfig } from '../../config.ts';
import { isHttpsRequest, sessionCookieName, sessionCookieOptions } from '../auth/sessions.ts';
import { clientAddressOf } from './client-address.ts';

export function readSessionToken(cookies: AstroCookies, request: Request): string | undefined {
  return cookies.get(sessionCookieName(isHttpsRequest(request, getConfig().trustProxy)))?.value;
}

export function setSessionCookie(cookies: AstroCookies, request: Request, token: string): void {
  const https = isHttpsRequest(request, getConfig().trustProxy);
  cookies.set(sessionCookieName(https), token, sessionCookieOptions(https));
}

export function clearSessionCookie(cookies: AstroCookies, request: Request): void {
  const https = isHttpsRequest(request, getConfig().trustProxy);
  const { maxAge: _ignored, ...options } = sessionCookieOptions(https);
  cookies.delete(sessionCookieName(https), options);
}

/** The client's address for throttling (see client-address.ts). */
export function requestAddress(request: Request, socketAddress: string): string {
  return clientAddressOf(request, socketAddress, getConfig().proxyTrust);
}

/** Where to go after signing in: only a path inside the workspace, never another site. */
export function safeNextPath(raw: string | null): string {
  if (!raw || !raw.startsWith('/admin') || raw.startsWith('//') || /[\\\s]/.test(raw)) return '/admin';
  return raw;
}
