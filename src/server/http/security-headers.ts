// Security headers on every response Candor renders (the front server keeps them with the cached
// bytes). Candor's pages need no script at all, so the policy forbids every script: an injected
// <script> or event handler would not run even if escaping ever failed. Styles stay inline-capable
// (the accent colour and the daily bars' widths are style attributes).
//
// The workspace and sign-in cannot be framed (clickjacking); the public pages can, because status
// pages get embedded in dashboards and intranets. HSTS is sent when the site's public URL is
// https: that is where customers reach it, so the browser may insist on it from then on.
import type { MiddlewareHandler } from 'astro';
import { getDb } from '../db.ts';
import { loadSite } from '../site.ts';
import { routeClassOf } from './cache-policy.ts';
import { withHeaders } from './response-headers.ts';

const BASE_POLICY = [
  "default-src 'none'",
  "script-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
];

export const PUBLIC_CSP = BASE_POLICY.join('; ');
export const WORKSPACE_CSP = [...BASE_POLICY, "frame-ancestors 'none'"].join('; ');

export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
};

/** One year; no includeSubDomains, since other hosts under the same domain are not Candor's to decide. */
export const HSTS = 'max-age=31536000';

/** The headers a response to this path gets, given the site's public URL (null when unknown). */
export function securityHeadersFor(pathname: string, siteUrl: string | null): Record<string, string> {
  const workspace = routeClassOf(pathname) === 'private';
  const headers: Record<string, string> = { ...COMMON_HEADERS, 'Content-Security-Policy': workspace ? WORKSPACE_CSP : PUBLIC_CSP };
  if (workspace) {
    headers['X-Frame-Options'] = 'DENY';
    // Workspace URLs name incidents before they are public: never send them to another site.
    headers['Referrer-Policy'] = 'same-origin';
  }
  if (siteUrl?.startsWith('https://')) headers['Strict-Transport-Security'] = HSTS;
  return headers;
}

function siteUrlOrNull(): string | null {
  try {
    return loadSite(getDb()).url;
  } catch {
    // A database that cannot be read must not cost the response its other headers.
    return null;
  }
}

export const securityHeaders: MiddlewareHandler = async (context, next) => {
  const response = await next();
  const values = securityHeadersFor(context.url.pathname, siteUrlOrNull());
  const type = response.headers.get('Content-Type');
  if (type !== null && /^text\/html\s*$/i.test(type)) values['Content-Type'] = 'text/html; charset=utf-8';
  return withHeaders(response, values);
};
