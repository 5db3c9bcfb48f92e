// Sign-in, sessions and the guard, over HTTP against the built server.
import Database from 'better-sqlite3';
import { TOTP, Secret } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { withServerDb } from '../support/server-db.ts';
import { createStaff, signIn } from '../support/staff.ts';

let server: RunningServer;
const PASSWORD = 'correct horse battery';
const OWNER = 'olive@example.com';
const EDITOR = 'eddie@example.com';
const VIEWER = 'vera@example.com';

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: OWNER, password: PASSWORD, role: 'owner', name: 'Olive Owner' });
  await createStaff(server.databasePath, { email: EDITOR, password: PASSWORD, role: 'editor' });
  await createStaff(server.databasePath, { email: VIEWER, password: PASSWORD, role: 'viewer' });
});
afterAll(() => server?.stop());

/** One server behind a trusted TLS-terminating proxy (CANDOR_TRUST_PROXY=true), with the owner, for the tests that need it. */
let viaProxyStarted: Promise<RunningServer> | undefined;
const trustingProxy = () =>
  (viaProxyStarted ??= startServer({ CANDOR_TRUST_PROXY: 'true' }).then(async (viaProxy) => {
    await createStaff(viaProxy.databasePath, { email: OWNER, password: PASSWORD, role: 'owner' });
    return viaProxy;
  }));
afterAll(async () => (await viaProxyStarted?.catch(() => undefined))?.stop());

const get = (path: string, cookie?: string) => adminClient(server.url, cookie ?? null).get(path);
const post = (path: string, fields: Record<string, string>, cookie?: string, origin?: string) => adminClient(server.url, cookie ?? null).post(path, fields, origin);

const withDb = <T>(body: (db: Database.Database) => T): T => withServerDb(server.databasePath, body);

async function newStaff(role: 'owner' | 'editor' | 'viewer'): Promise<string> {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  await createStaff(server.databasePath, { email, password: PASSWORD, role });
  return email;
}

describe('without a session', () => {
  it('sends workspace pages to the sign-in page, remembering where you were going', async () => {
    const res = await get('/admin/account?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Faccount%3Fx%3D1');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('answers 401 JSON on the admin API', async () => {
    const res = await get('/api/admin/anything');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toEqual({
      error: { status: 401, code: 'unauthorized', message: 'Send an API token (Authorization: Bearer <token>) or sign in first.', fields: {} },
    });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('refuses an unknown Bearer token on the admin API with 401 (see write-api.test.ts for valid ones)', async () => {
    const res = await fetch(`${server.url}/api/admin/anything`, { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('shows the sign-in form, uncached', async () => {
    const res = await get('/admin/sign-in');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
  });
});

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and goes where you were going', async () => {
    const res = await post('/admin/sign-in?next=%2Fadmin%2Faccount', { email: OWNER, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/account');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('candor_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP here
  });

  it('uses a __Host- Secure cookie when a trusted proxy says HTTPS, and only then', async () => {
    const viaProxy = await trustingProxy();
    // Behind the proxy the browser is on https://<host>, and says so in Origin.
    const send = (url: string, origin = url.replace(/^http:/, 'https:')) =>
      fetch(`${url}/admin/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, 'X-Forwarded-Proto': 'https' },
        body: new URLSearchParams({ email: OWNER, password: PASSWORD }),
        redirect: 'manual',
      });
    const trusted = (await send(viaProxy.url)).headers.getSetCookie().join('\n');
    expect(trusted).toMatch(/^__Host-candor_session=[^;]+;.*Secure/im);
    const session = trusted.match(/__Host-candor_session=[^;]+/)![0];
    const account = await fetch(`${viaProxy.url}/admin/account`, { headers: { Cookie: session, 'X-Forwarded-Proto': 'https' }, redirect: 'manual' });
    expect(account.status).toBe(200);

    const untrusted = (await send(server.url, server.url)).headers.getSetCookie().join('\n');
    expect(untrusted).toMatch(/^candor_session=/m);
    expect(untrusted).not.toMatch(/Secure/i);
  });

  it('refuses an offsite next= and goes to the workspace instead', async () => {
    const res = await post('/admin/sign-in?next=%2F%2Fevil.example%2F', { email: OWNER, password: PASSWORD });
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('gives a new token at every sign-in and ends the one the browser held', async () => {
    const first = await signIn(server.url, OWNER, PASSWORD);
    const res = await post('/admin/sign-in', { email: OWNER, password: PASSWORD }, first);
    const second = res.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(second).not.toBe(first);
    expect((await get('/admin/account', second)).status).toBe(200);
    expect((await get('/admin/account', first)).status).toBe(303);
  });

  it('stores only a hash of the token', async () => {
    const cookie = await signIn(server.url, OWNER, PASSWORD);
    const token = cookie.split('=')[1]!;
    const stored = withDb((db) => db.prepare('select token_hash from sessions').all() as { token_hash: string }[]);
    expect(stored.some((r) => r.token_hash === token)).toBe(false);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('keeps the email and says the same thing for a wrong password and an unknown account', async () => {
    const wrong = await post('/admin/sign-in', { email: EDITOR, password: 'not the password' });
    const unknown = await post('/admin/sign-in', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.status).toBe(422);
    expect(unknown.status).toBe(422);
    const message = (html: string) => html.match(/<p class="form-error"[^>]*>([^<]*)<\/p>/)?.[1];
    const [a, b] = [await wrong.text(), await unknown.text()];
    expect(message(a)).toBe('Email or password is incorrect.');
    expect(message(b)).toBe(message(a));
    expect(a).toContain(`value="${EDITOR}"`);
    expect(b).toContain('value="nobody@example.com"');
  });

  it('refuses a disabled account with the same message', async () => {
    const email = await newStaff('editor');
    withDb((db) => db.prepare('update users set disabled_at = ? where email = ?').run(Date.now(), email));
    const res = await post('/admin/sign-in', { email, password: PASSWORD });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Email or password is incorrect.');
  });
});

describe('throttling (finding 10)', () => {
  it('makes an account wait after repeated wrong passwords (429, Retry-After), without locking anyone else out', async () => {
    const email = await newStaff('editor');
    for (let i = 0; i < 3; i++) expect((await post('/admin/sign-in', { email, password: `wrong guess ${i}` })).status).toBe(422);
    const waiting = await post('/admin/sign-in', { email, password: PASSWORD });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const html = await waiting.text();
    expect(html).toMatch(/Too many attempts\. Wait \d+ seconds?, then try again\./);
    expect(html).toContain(`value="${email}"`);
    // Another account from the same address is not held up by it.
    expect((await post('/admin/sign-in', { email: OWNER, password: PASSWORD })).status).toBe(303);
  });

  it('throttles an unknown email exactly like a real one', async () => {
    const email = `ghost-${Date.now()}@example.com`;
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post('/admin/sign-in', { email, password: `wrong guess ${i}` });
      answers.push(`${res.status} ${(await res.text()).match(/<p class="form-error"[^>]*>([^<]*)/)?.[1]}`);
    }
    expect(answers.slice(0, 3).every((a) => a === '422 Email or password is incorrect.')).toBe(true);
    expect(answers[3]).toMatch(/^429 Too many attempts\. Wait \d+ seconds?, then try again\.$/);
  });

  it('lets the owner in once the wait is over: a bystander cannot lock an account', async () => {
    const email = await newStaff('editor');
    for (let i = 0; i < 3; i++) await post('/admin/sign-in', { email, password: `wrong guess ${i}` });
    expect((await post('/admin/sign-in', { email, password: PASSWORD })).status).toBe(429);
    // As if the last failure had been a second ago (the clock is not waited on).
    withDb((db) => db.prepare('update sign_in_attempts set at = at - ? where key = ?').run(60_000, `account:${email}`));
    expect((await post('/admin/sign-in', { email, password: PASSWORD })).status).toBe(303);
  });
});

describe('sessions', () => {
  function latestSessionId(): number {
    return withDb((db) => (db.prepare('select max(id) as id from sessions').get() as { id: number }).id);
  }

  it('expires after 12 hours idle', async () => {
    const cookie = await signIn(server.url, EDITOR, PASSWORD);
    const id = latestSessionId();
    expect((await get('/admin/account', cookie)).status).toBe(200);
    withDb((db) => db.prepare('update sessions set last_seen_at = ? where id = ?').run(Date.now() - 12 * 3600_000 - 1000, id));
    expect((await get('/admin/account', cookie)).status).toBe(303);
  });

  it('expires at its absolute end even while in use', async () => {
    const cookie = await signIn(server.url, EDITOR, PASSWORD);
    const id = latestSessionId();
    withDb((db) => db.prepare('update sessions set expires_at = ? where id = ?').run(Date.now() - 1, id));
    expect((await get('/admin/account', cookie)).status).toBe(303);
  });

  it('ends at sign-out (POST only), and the token stays dead', async () => {
    const cookie = await signIn(server.url, EDITOR, PASSWORD);
    expect((await get('/admin/sign-out', cookie)).status).not.toBe(303);
    expect((await get('/admin/account', cookie)).status).toBe(200);
    const out = await post('/admin/sign-out', {}, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/sign-in');
    expect(out.headers.getSetCookie().join()).toMatch(/candor_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect((await get('/admin/account', cookie)).status).toBe(303);
  });

  it('on password change, ends every other session and keeps the browser signed in with a new one', async () => {
    const email = await newStaff('viewer');
    const elsewhere = await signIn(server.url, email, PASSWORD);
    const here = await signIn(server.url, email, PASSWORD);
    const res = await post('/admin/account', { intent: 'password', current: PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' }, here);
    expect(res.status).toBe(303);
    const fresh = res.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await get('/admin/account', fresh)).status).toBe(200);
    expect((await get('/admin/account', elsewhere)).status).toBe(303);
    expect((await get('/admin/account', here)).status).toBe(303);
    await expect(signIn(server.url, email, PASSWORD)).rejects.toThrow(/refused/);
    await signIn(server.url, email, 'a brand new passphrase');
  });

  it('refuses a password change without the right current password, keeping the session', async () => {
    const cookie = await signIn(server.url, EDITOR, PASSWORD);
    const res = await post('/admin/account', { intent: 'password', current: 'wrong current pw', password: 'a brand new passphrase', confirm: 'a brand new passphrase' }, cookie);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('That is not your current password.');
    expect((await get('/admin/account', cookie)).status).toBe(200);
  });
});

describe('guarding writes', () => {
  it('refuses a cross-site form post with 403, even with a valid session', async () => {
    const cookie = await signIn(server.url, OWNER, PASSWORD);
    const res = await post('/admin/account', { intent: 'totp-start' }, cookie, 'https://evil.example');
    expect(res.status).toBe(403);
    const noOrigin = await fetch(`${server.url}/admin/sign-out`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    expect(noOrigin.status).toBe(403);
    expect((await get('/admin/account', cookie)).status).toBe(200);
  });

  it('accepts a same-site post with a valid session', async () => {
    const email = await newStaff('editor');
    const cookie = await signIn(server.url, email, PASSWORD);
    const res = await post('/admin/account', { intent: 'totp-start' }, cookie);
    expect(res.status).toBe(303);
    expect(await (await get('/admin/account', cookie)).text()).toContain('otpauth://totp/');
  });

  it('lets a viewer read but not write (403), except their own account', async () => {
    const cookie = await signIn(server.url, VIEWER, PASSWORD);
    expect((await get('/admin/account', cookie)).status).toBe(200);
    const res = await post('/admin/settings', { name: 'Hijacked' }, cookie);
    expect(res.status).toBe(403);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect((await post('/admin/account', { intent: 'totp-start' }, cookie)).status).toBe(303);
  });

  it('behind a TLS-terminating proxy, accepts a same-site post only when the proxy is trusted', async () => {
    const viaProxy = await trustingProxy();
    const host = new URL(viaProxy.url).host;
    const proxied = (url: string, path: string, fields: Record<string, string>, extra: Record<string, string>) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-Proto': 'https', ...extra },
        body: new URLSearchParams(fields),
        redirect: 'manual',
      });
    // The browser sees https://<host>; Node sees http://<host>.
    const signedIn = await proxied(viaProxy.url, '/admin/sign-in', { email: OWNER, password: PASSWORD }, { Origin: `https://${host}` });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Host-candor_session='))!.split(';')[0]!;
    const totp = await proxied(viaProxy.url, '/admin/account', { intent: 'totp-start' }, { Origin: `https://${host}`, Cookie: cookie });
    expect(totp.status).toBe(303);
    // With X-Forwarded-Host naming the public host, as most proxies send it.
    const named = await proxied(viaProxy.url, '/admin/account', { intent: 'totp-start' }, { Origin: 'https://status.example.com', 'X-Forwarded-Host': 'status.example.com', Cookie: cookie });
    expect(named.status).toBe(303);
    const foreign = await proxied(viaProxy.url, '/admin/account', { intent: 'totp-start' }, { Origin: 'https://evil.example', Cookie: cookie });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('https://evil.example');

    // The same request to a server that does not trust the proxy is refused, with a hint.
    const untrusted = await proxied(server.url, '/admin/sign-in', { email: OWNER, password: PASSWORD }, { Origin: `https://${new URL(server.url).host}` });
    expect(untrusted.status).toBe(403);
    expect(await untrusted.text()).toContain('CANDOR_TRUST_PROXY=true');
  });

  it('accepts a post without Origin when the browser says Sec-Fetch-Site: same-origin', async () => {
    const cookie = await signIn(server.url, OWNER, PASSWORD);
    const send = (site: string) =>
      fetch(`${server.url}/admin/account`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': site },
        body: new URLSearchParams({ intent: 'totp-start' }),
        redirect: 'manual',
      });
    expect((await send('cross-site')).status).toBe(403);
    expect((await send('same-origin')).status).toBe(303);
  });

  it("accepts the origin of the site's configured public URL", async () => {
    const cookie = await signIn(server.url, OWNER, PASSWORD);
    const before = withDb((db) => (db.prepare('select url from site_settings').get() as { url: string }).url);
    withDb((db) => db.prepare('update site_settings set url = ?').run('https://status.example.org'));
    try {
      expect((await post('/admin/account', { intent: 'totp-start' }, cookie, 'https://status.example.org')).status).toBe(303);
      expect((await post('/admin/account', { intent: 'totp-start' }, cookie, 'https://status.example.net')).status).toBe(403);
    } finally {
      withDb((db) => db.prepare('update site_settings set url = ?').run(before));
    }
  });

  it('refuses a body over 256 KB with 413', async () => {
    const cookie = await signIn(server.url, OWNER, PASSWORD);
    const res = await post('/admin/account', { intent: 'password', current: 'x'.repeat(300 * 1024) }, cookie);
    expect(res.status).toBe(413);
  });

  it('refuses a body without Content-Length (chunked) with 411 instead of reading it', async () => {
    const cookie = await signIn(server.url, OWNER, PASSWORD);
    const chunk = new TextEncoder().encode('intent=password&current=' + 'x'.repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/admin/account`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
      body,
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit);
    expect(res.status).toBe(411);
  });
});

describe('two-step sign-in (TOTP)', () => {
  async function enrol(email: string): Promise<{ cookie: string; totp: TOTP; usedCode: string }> {
    const cookie = await signIn(server.url, email, PASSWORD);
    await post('/admin/account', { intent: 'totp-start' }, cookie);
    const html = await (await get('/admin/account', cookie)).text();
    const uri = html.match(/otpauth:\/\/totp\/[^<"]+/)![0].replaceAll('&amp;', '&');
    const secret = new URL(uri).searchParams.get('secret')!;
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const wrong = await post('/admin/account', { intent: 'totp-confirm', code: totp.generate({ timestamp: Date.now() - 10 * 60_000 }) }, cookie);
    expect(wrong.status).toBe(422);
    const usedCode = totp.generate();
    const confirm = await post('/admin/account', { intent: 'totp-confirm', code: usedCode }, cookie);
    expect(confirm.status).toBe(303);
    return { cookie, totp, usedCode };
  }

  it('asks for a code once enabled, refuses a wrong or replayed code, accepts a fresh one', async () => {
    const email = await newStaff('editor');
    const { totp, usedCode } = await enrol(email);
    const noCode = await post('/admin/sign-in', { email, password: PASSWORD });
    expect(noCode.status).toBe(422);
    expect(await noCode.text()).toContain('Enter the 6-digit code from your authenticator app.');
    const badCode = await post('/admin/sign-in', { email, password: PASSWORD, totp: '000000' === totp.generate() ? '111111' : '000000' });
    expect(badCode.status).toBe(422);
    expect(await badCode.text()).toContain('That code is not valid');
    // The code that confirmed enrolment was used already: replaying it is refused.
    const replay = await post('/admin/sign-in', { email, password: PASSWORD, totp: usedCode });
    expect(replay.status).toBe(422);
    expect(await replay.text()).toContain('That code is not valid');
    const ok = await post('/admin/sign-in', { email, password: PASSWORD, totp: totp.generate({ timestamp: Date.now() + 30_000 }) });
    expect(ok.status).toBe(303);
  });

  it('when an owner requires it, an account without it can only reach its enrolment page', async () => {
    const email = await newStaff('editor');
    const cookie = await signIn(server.url, email, PASSWORD);
    withDb((db) => db.prepare('update site_settings set require_totp = 1').run());
    try {
      const res = await get('/admin/settings', cookie);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin/account?totp=required');
      expect((await get('/admin/account?totp=required', cookie)).status).toBe(200);
      const { totp } = await enrol(email);
      const again = await signIn(server.url, email, PASSWORD, totp.generate({ timestamp: Date.now() + 30_000 }));
      expect((await get('/admin/settings', again)).headers.get('location')).not.toBe('/admin/account?totp=required');
    } finally {
      withDb((db) => db.prepare('update site_settings set require_totp = 0').run());
    }
  });
});
