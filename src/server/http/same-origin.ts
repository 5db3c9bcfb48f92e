// Cross-site request forgery check for cookie-authenticated writes to the workspace and admin API.
//
// Astro's own origin check compares Origin with the URL Node saw, which is http://… behind a
// reverse proxy that terminates TLS — so every workspace form failed there. This check compares
// Origin with the origin the *browser* used: the one a trusted proxy reports (X-Forwarded-Proto,
// X-Forwarded-Host), else the request's own; the site's configured public URL is accepted too.
import { isHttpsRequest } from '../auth/sessions.ts';

const firstValue = (header: string | null) => header?.split(',')[0]?.trim() || undefined;

function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The origin the browser addressed. HTTPS is decided by the same rule as the session cookie's
 * Secure/__Host- choice (isHttpsRequest), so the two never disagree.
 */
export function requestOrigin(request: Request, trustProxy: boolean): string | null {
  const url = new URL(request.url);
  const host = (trustProxy ? firstValue(request.headers.get('x-forwarded-host')) : undefined) ?? url.host;
  return originOf(`${isHttpsRequest(request, trustProxy) ? 'https' : 'http'}://${host}`);
}

export interface OriginRules {
  trustProxy: boolean;
  /** The site's public URL from the settings (its origin is accepted as well). */
  siteUrl: string | null;
}

/** Null when the request comes from this site; otherwise why it is refused, in plain words. */
export function crossSiteProblem(request: Request, rules: OriginRules): string | null {
  const own = requestOrigin(request, rules.trustProxy);
  const allowed = new Set([own, rules.siteUrl === null ? null : originOf(rules.siteUrl)].filter((o) => o !== null));
  const origin = request.headers.get('origin');
  if (origin !== null) {
    const sent = originOf(origin);
    if (sent !== null && allowed.has(sent)) return null;
    const proxyHint = rules.trustProxy
      ? ' Check that the reverse proxy sends X-Forwarded-Proto and X-Forwarded-Host, or set the public URL in Settings.'
      : ' Behind a reverse proxy, set CANDOR_TRUST_PROXY=true and have it send X-Forwarded-Proto and X-Forwarded-Host, or set the public URL in Settings.';
    return `Refused a cross-site request: it came from ${origin}, but this workspace is served at ${own ?? 'an unknown address'}.${proxyHint}`;
  }
  // Browsers that send no Origin (rare for POST) still say where a request came from here.
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite === 'same-origin') return null;
  if (fetchSite !== null) return `Refused a cross-site request (the browser reports Sec-Fetch-Site: ${fetchSite}).`;
  return 'Refused: the request says neither where it came from (Origin) nor whether it is same-site (Sec-Fetch-Site), so it cannot be told apart from a cross-site form post. Send it from the workspace in a browser, or use an API token.';
}
