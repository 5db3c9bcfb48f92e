// Issue 12 over HTTP, against the built server: bad input gets a 4xx with a message instead of a
// 500 (finding 7), every response carries the security headers (9), the calendar cannot be
// injected through the site name (11), and spoofing characters stay out of what is published (12).
import Database from 'better-sqlite3';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken, withServerDb } from '../support/server-db.ts';

let server: RunningServer;
let token: string;

const withDb = <T>(body: (db: Database.Database) => T): T => withServerDb(server.databasePath, body);

const get = (route: string, init: RequestInit = {}) => fetch(server.url + route, { redirect: 'manual', ...init });
const post = (route: string, body: string) =>
  fetch(server.url + route, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
const incidentCount = () => withDb((db) => (db.prepare('select count(*) as n from incidents').get() as { n: number }).n);

beforeAll(async () => {
  server = await startServer();
  token = createToken(server.databasePath, 'Pager bot', ['incidents:write']).token;
});
afterAll(() => server?.stop());

describe('bad input answered with 4xx and a message (finding 7)', () => {
  it('answers a page number that is not one with 400, and other spellings of a page with a redirect', async () => {
    for (const page of ['99999999999999999999', 'NaN', '-1', '2.5', '1e309']) {
      const res = await get(`/history?page=${page}`);
      expect(res.status, page).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toContain('is not a page number');
    }
    const first = await get('/history?page=1');
    expect(first.status).toBe(301);
    expect(first.headers.get('location')).toBe('/history');
    const padded = await get('/history?page=002');
    expect(padded.headers.get('location')).toBe('/history?page=2');
    expect((await get('/history?page=2')).status).toBe(200);
  });

  it('refuses JSON nested 20,000 deep with 400 and writes nothing', async () => {
    const before = incidentCount();
    const res = await post('/api/admin/incidents', `{"title":"x","impact":"minor","message":"m","components":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ status: 400, code: 'bad_request', message: expect.stringMatching(/more than 16 levels/) });
    expect(incidentCount()).toBe(before);
  });

  it('refuses markdown that would overflow or stall the renderer with 422 on the field', async () => {
    const before = incidentCount();
    for (const message of ['>'.repeat(10_000), '- '.repeat(6_666) + 'x', '_a_'.repeat(6_600)]) {
      const res = await post('/api/admin/incidents', JSON.stringify({ title: 'Mail delayed', impact: 'minor', message }));
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error.fields.message).toMatch(/nested more than|\* and _ characters/);
    }
    expect(incidentCount()).toBe(before);
    expect((await get('/')).status).toBe(200);
  });
});

describe('security headers (finding 9)', () => {
  it('sends a script-free CSP, nosniff, Referrer-Policy and Permissions-Policy, and utf-8 HTML', async () => {
    for (const route of ['/', '/history', '/history.rss', '/api/v2/summary.json', '/badge.svg', '/no-such-page']) {
      const res = await get(route);
      expect(res.headers.get('content-security-policy'), route).toContain("script-src 'none'");
      expect(res.headers.get('x-content-type-options'), route).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), route).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('permissions-policy'), route).toContain('camera=()');
    }
    expect((await get('/')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await get('/no-such-page')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    // The demo's public URL is http://localhost: no HSTS.
    expect((await get('/')).headers.get('strict-transport-security')).toBeNull();
  });

  it('forbids framing the sign-in page and the workspace', async () => {
    for (const route of ['/admin/sign-in', '/admin']) {
      const res = await get(route);
      expect(res.headers.get('content-security-policy'), route).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), route).toBe('DENY');
    }
  });

  it('sends HSTS once the public URL is https', async () => {
    withDb((db) => db.prepare("update site_settings set url = 'https://status.example.test', data_version = data_version + 1").run());
    try {
      expect((await get('/')).headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      withDb((db) => db.prepare("update site_settings set url = 'http://localhost:4321', data_version = data_version + 1").run());
    }
  });
});

describe('published names (findings 11 and 12)', () => {
  it('keeps the calendar one calendar when the site name holds line breaks, and strips spoofing characters', async () => {
    withDb((db) => {
      db.prepare("update site_settings set name = ?, data_version = data_version + 1").run('Acme\r\nX-INJECTED:yes\u202E\u200B');
      db.prepare("update components set name = ? where slug = 'send-api'").run('Pay\u202Eoc\u200Bments');
      db.prepare('update site_settings set data_version = data_version + 1').run();
    });
    const ics = await (await get('/maintenance.ics')).text();
    expect(ics).not.toMatch(/^X-INJECTED/m);
    expect(new ICAL.Component(ICAL.parse(ics)).getFirstPropertyValue('x-injected')).toBeNull();
    const badge = await (await get('/components/send-api/badge.svg')).text();
    expect(badge).toContain('Payocments');
    const overall = await (await get('/badge.svg')).text();
    const rss = await (await get('/history.rss')).text();
    for (const text of [ics, badge, overall, rss]) expect(text).not.toMatch(/[\u202E\u200B]/);
  });
});
