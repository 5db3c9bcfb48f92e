// The cross-site check for cookie-authenticated writes, behind a TLS-terminating proxy and not.
import { describe, expect, it } from 'vitest';
import { isHttpsRequest } from '../../../src/server/auth/sessions.ts';
import { crossSiteProblem, requestOrigin } from '../../../src/server/http/same-origin.ts';

const post = (url: string, headers: Record<string, string>) => new Request(url, { method: 'POST', headers });
const rules = (trustProxy: boolean, siteUrl: string | null = null) => ({ trustProxy, siteUrl });

describe('requestOrigin', () => {
  it('is the request URL, unless a trusted proxy says otherwise (first value of each header)', () => {
    const behindProxy = post('http://127.0.0.1:4321/admin/x', { 'X-Forwarded-Proto': 'https, http', 'X-Forwarded-Host': 'status.example.com, internal' });
    expect(requestOrigin(behindProxy, true)).toBe('https://status.example.com');
    expect(requestOrigin(behindProxy, false)).toBe('http://127.0.0.1:4321');
    expect(requestOrigin(post('http://status.example.com/admin', { 'X-Forwarded-Proto': 'https' }), true)).toBe('https://status.example.com');
    expect(requestOrigin(post('https://status.example.com:443/admin', {}), false)).toBe('https://status.example.com');
  });

  it('agrees with the session cookie on HTTPS (Secure / __Host-)', () => {
    const cases = [
      post('http://a.example/admin', { 'X-Forwarded-Proto': 'https' }),
      post('http://a.example/admin', { 'X-Forwarded-Proto': 'http' }),
      post('http://a.example/admin', {}),
      post('https://a.example/admin', {}),
    ];
    for (const request of cases) {
      for (const trust of [true, false]) {
        expect(requestOrigin(request, trust)!.startsWith('https:')).toBe(isHttpsRequest(request, trust));
      }
    }
  });
});

describe('crossSiteProblem', () => {
  it('accepts an Origin equal to the origin the browser used behind a trusted proxy', () => {
    const request = post('http://127.0.0.1:4321/admin/incidents/new', { Origin: 'https://status.example.com', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'status.example.com' });
    expect(crossSiteProblem(request, rules(true))).toBeNull();
    expect(crossSiteProblem(request, rules(false))).toMatch(/CANDOR_TRUST_PROXY=true/);
  });

  it('accepts the proxy host from Host when the proxy passes it through', () => {
    const request = post('http://status.example.com/admin', { Origin: 'https://status.example.com', 'X-Forwarded-Proto': 'https' });
    expect(crossSiteProblem(request, rules(true))).toBeNull();
    expect(crossSiteProblem(request, rules(false))).not.toBeNull();
  });

  it("accepts the origin of the site's configured public URL", () => {
    const request = post('http://10.0.0.5:4321/admin', { Origin: 'https://status.example.com' });
    expect(crossSiteProblem(request, rules(false, 'https://status.example.com/'))).toBeNull();
    expect(crossSiteProblem(request, rules(false, 'https://other.example.com'))).not.toBeNull();
  });

  it('refuses a foreign origin, an opaque "null" origin, and a look-alike', () => {
    for (const origin of ['https://evil.example', 'null', 'https://status.example.com.evil.example', 'http://status.example.com']) {
      const request = post('http://status.example.com/admin', { Origin: origin, 'X-Forwarded-Proto': 'https' });
      expect(crossSiteProblem(request, rules(true)), origin).toMatch(/Refused/);
    }
  });

  it('without Origin, trusts Sec-Fetch-Site: same-origin only, and refuses when both are absent', () => {
    const url = 'http://status.example.com/admin';
    expect(crossSiteProblem(post(url, { 'Sec-Fetch-Site': 'same-origin' }), rules(false))).toBeNull();
    expect(crossSiteProblem(post(url, { 'Sec-Fetch-Site': 'cross-site' }), rules(false))).toMatch(/cross-site/);
    expect(crossSiteProblem(post(url, { 'Sec-Fetch-Site': 'same-site' }), rules(false))).toMatch(/same-site/);
    expect(crossSiteProblem(post(url, {}), rules(false))).toMatch(/neither where it came from/);
  });
});
