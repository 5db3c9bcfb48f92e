// Pure pieces of the workspace's HTTP handling: where to go after sign-in, which address to
// throttle, when HTTPS is believed, the body cap and the audit diff.
import { describe, expect, it } from 'vitest';
import { diffAudit } from '../../../src/server/admin/audit-page.ts';
import { isHttpsRequest, sessionCookieName, sessionCookieOptions } from '../../../src/server/auth/sessions.ts';
import { bodyProblem, MAX_ADMIN_BODY_BYTES } from '../../../src/server/http/body-limit.ts';
import { clientAddressOf } from '../../../src/server/http/client-address.ts';
import { safeNextPath } from '../../../src/server/http/session-cookie.ts';

describe('safeNextPath', () => {
  it.each([
    ['/admin/incidents/abc?x=1', '/admin/incidents/abc?x=1'],
    ['/admin', '/admin'],
    [null, '/admin'],
    ['', '/admin'],
    ['//evil.example/admin', '/admin'],
    ['https://evil.example/admin', '/admin'],
    ['/\\evil.example', '/admin'],
    ['/admin\\..\\x', '/admin'],
    ['/history', '/admin'],
  ])('%j → %j', (raw, expected) => expect(safeNextPath(raw)).toBe(expected));
});

describe('clientAddressOf', () => {
  const request = (xff?: string) => new Request('http://candor.test/', { headers: xff ? { 'X-Forwarded-For': xff } : {} });

  it('ignores X-Forwarded-For unless the proxy is trusted', () => {
    expect(clientAddressOf(request('198.51.100.9'), '10.0.0.2', null)).toBe('10.0.0.2');
  });

  it('takes the entry the trusted proxy appended (the last), not what the client claimed', () => {
    expect(clientAddressOf(request('1.2.3.4, 198.51.100.9'), '10.0.0.2', { hops: 1 })).toBe('198.51.100.9');
    expect(clientAddressOf(request(), '10.0.0.2', { hops: 1 })).toBe('10.0.0.2');
  });

  it('walks back as many hops as are configured: with a CDN and a load balancer, the client is second from the right (finding 10)', () => {
    const chain = request('6.6.6.6, 203.0.113.7, 172.16.0.5');
    expect(clientAddressOf(chain, '10.0.0.2', { hops: 2 })).toBe('203.0.113.7');
    expect(clientAddressOf(chain, '10.0.0.2', { hops: 1 })).toBe('172.16.0.5');
  });

  it('with address ranges, skips every trusted proxy and stops at the first address outside them', () => {
    const trust = { ranges: ['10.0.0.0/8', '172.16.0.0/12'] };
    expect(clientAddressOf(request('6.6.6.6, 203.0.113.7, 172.16.0.5'), '10.0.0.2', trust)).toBe('203.0.113.7');
    // A client reaching Candor directly cannot claim an address: its own socket is not a proxy.
    expect(clientAddressOf(request('10.9.9.9'), '198.51.100.4', trust)).toBe('198.51.100.4');
  });
});

describe('HTTPS and the cookie name', () => {
  const request = (url: string, proto?: string) => new Request(url, { headers: proto ? { 'X-Forwarded-Proto': proto } : {} });

  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(isHttpsRequest(request('https://candor.test/'), false)).toBe(true);
    expect(isHttpsRequest(request('http://candor.test/', 'https'), false)).toBe(false);
    expect(isHttpsRequest(request('http://candor.test/', 'https'), true)).toBe(true);
    expect(isHttpsRequest(request('http://candor.test/', 'http'), true)).toBe(false);
  });

  it('uses the __Host- prefix and Secure only over HTTPS', () => {
    expect(sessionCookieName(true)).toBe('__Host-candor_session');
    expect(sessionCookieName(false)).toBe('candor_session');
    expect(sessionCookieOptions(true)).toMatchObject({ httpOnly: true, sameSite: 'strict', path: '/', secure: true });
    expect(sessionCookieOptions(false).secure).toBe(false);
  });
});

describe('bodyProblem', () => {
  const post = (headers: Record<string, string>, body: BodyInit | null = 'x=1') =>
    new Request('http://candor.test/admin', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

  it('passes a body within the cap, refuses one above it, and one without a length', () => {
    expect(bodyProblem(post({ 'Content-Length': '3' }))).toBeNull();
    expect(bodyProblem(post({ 'Content-Length': String(MAX_ADMIN_BODY_BYTES + 1) }))).toBe('too-large');
    expect(bodyProblem(post({ 'Transfer-Encoding': 'chunked' }, new ReadableStream()))).toBe('length-required');
    expect(bodyProblem(post({}, null))).toBeNull();
  });

  it('sees no body when neither Content-Length nor Transfer-Encoding is sent (as Node still hands over a stream)', () => {
    expect(bodyProblem(post({}, new ReadableStream()))).toBeNull();
  });
});

describe('diffAudit', () => {
  it('shows instants in the site time zone, also inside objects and lists, and leaves other numbers alone', () => {
    const start = Date.UTC(2027, 1, 21, 9, 0);
    expect(diffAudit({ scheduledStart: null }, { scheduledStart: start, count: 1803157200000 }, 'Europe/Amsterdam')).toEqual([
      { field: 'scheduledStart', before: 'null', after: '21 Feb 2027, 10:00 CET' },
      { field: 'count', before: '—', after: '1803157200000' },
    ]);
    expect(diffAudit(undefined, { periods: [{ startedAt: start, endedAt: null }] }, 'UTC')).toEqual([
      { field: 'periods', before: '—', after: '[{"startedAt":"21 Feb 2027, 09:00 UTC","endedAt":null}]' },
    ]);
  });

  it('lists only the fields that changed', () => {
    expect(diffAudit({ name: 'A', role: 'x' }, { name: 'B', role: 'x' })).toEqual([{ field: 'name', before: 'A', after: 'B' }]);
  });

  it('shows created and removed values against a dash', () => {
    expect(diffAudit(undefined, { name: 'A' })).toEqual([{ field: 'name', before: '—', after: 'A' }]);
    expect(diffAudit({ n: 1 }, undefined)).toEqual([{ field: 'n', before: '1', after: '—' }]);
    expect(diffAudit(undefined, undefined)).toEqual([]);
  });
});
