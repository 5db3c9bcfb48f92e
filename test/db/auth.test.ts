// Passwords, sessions, throttling, sign-in and the self-service account commands, on a real
// temporary database with a controlled clock.
import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/server/auth/passwords.ts';
import { ABSOLUTE_TIMEOUT_MS, createSession, IDLE_TIMEOUT_MS, resolveSession, revokeSession, revokeUserSessions } from '../../src/server/auth/sessions.ts';
import { CODE_NEEDED, CODE_WRONG, signIn, WRONG_CREDENTIALS } from '../../src/server/auth/sign-in.ts';
import type { Staff } from '../../src/server/auth/staff.ts';
import {
  delayAfter,
  FREE_ACCOUNT_FAILURES,
  FREE_ADDRESS_FAILURES,
  MAX_DELAY_MS,
  recordAttempt,
  Throttled,
  throttleWait,
  THROTTLE_WINDOW_MS,
} from '../../src/server/auth/throttle.ts';
import { changeOwnPassword, confirmTotp, disableOwnTotp, startTotpEnrolment } from '../../src/server/commands/account.ts';
import { createUser, SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { Conflict, Invalid } from '../../src/server/errors.ts';
import { openCommandDb, type CommandDb } from '../support/command-db.ts';
import { refusalOf } from '../support/refusal.ts';

const now = Date.UTC(2025, 5, 2, 9, 0, 10);
const PASSWORD = 'plenty long passphrase';
const ADDRESS = '203.0.113.7';
let t: CommandDb;

beforeEach(() => {
  t = openCommandDb(now);
});
afterEach(() => t.close());

async function makeStaff(email: string, role: Staff['role'] = 'editor'): Promise<Staff> {
  const { publicId } = await createUser(t.db, SYSTEM_OWNER, { email, name: 'Sam', role, password: PASSWORD }, now);
  const row = t.db.select().from(s.users).where(eq(s.users.publicId, publicId)).get()!;
  return { userId: row.id, publicId, email, name: row.name, role, actor: { userId: row.id, tokenId: null, label: email } };
}

const attempt = (email: string, password: string, at = now, totpCode = '', address = ADDRESS) =>
  signIn(t.db, { email, password, totpCode, address }, at);

describe('passwords', () => {
  it('hashes with a fresh salt each time and verifies only the right password', async () => {
    const [a, b] = [await hashPassword(PASSWORD, 'standard'), await hashPassword(PASSWORD, 'standard')];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD + ' ', a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'not a hash')).toBe(false);
  });

  it.each([
    ['eleven char', 'x@example.com', /at least 12/],
    ['qwerty123456', 'x@example.com', /breached/],
    ['PASSWORD1234', 'x@example.com', /breached/],
    ['aaaaaaaaaaaaaaaa', 'x@example.com', /(repeat|breached)/],
    ['my name is margaret!', 'margaret@example.com', /email name/],
    ['x'.repeat(257), 'x@example.com', /at most 256/],
  ])('refuses %j for %s', (password, email, message) => {
    expect(passwordProblem(password, email)).toMatch(message);
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('violet tractor sings loudly', 'margaret@example.com')).toBeNull();
  });
});

describe('sessions', () => {
  it('resolves a fresh token to the staff member, and nothing else', async () => {
    const staff = await makeStaff('sam@example.com');
    const token = createSession(t.db, staff.userId, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(resolveSession(t.db, token, now + 1)?.staff).toEqual(staff);
    expect(resolveSession(t.db, token + 'x', now + 1)).toBeNull();
    expect(resolveSession(t.db, undefined, now + 1)).toBeNull();
  });

  it('expires after the idle timeout, and refreshes the idle clock when used', async () => {
    const staff = await makeStaff('sam@example.com');
    const token = createSession(t.db, staff.userId, now);
    expect(resolveSession(t.db, token, now + IDLE_TIMEOUT_MS - 1)).not.toBeNull();
    // That use moved lastSeenAt, so another almost-idle period later it still works.
    expect(resolveSession(t.db, token, now + 2 * IDLE_TIMEOUT_MS - 2)).not.toBeNull();
    expect(resolveSession(t.db, token, now + 3 * IDLE_TIMEOUT_MS)).toBeNull();
  });

  it('expires at the absolute timeout however busy', async () => {
    const staff = await makeStaff('sam@example.com');
    const token = createSession(t.db, staff.userId, now);
    for (let at = now; at < now + ABSOLUTE_TIMEOUT_MS; at += IDLE_TIMEOUT_MS / 2) expect(resolveSession(t.db, token, at)).not.toBeNull();
    expect(resolveSession(t.db, token, now + ABSOLUTE_TIMEOUT_MS)).toBeNull();
  });

  it('revokes one session, or all of a user but one', async () => {
    const staff = await makeStaff('sam@example.com');
    const [a, b, c] = [createSession(t.db, staff.userId, now), createSession(t.db, staff.userId, now), createSession(t.db, staff.userId, now)];
    revokeSession(t.db, a, now);
    expect(resolveSession(t.db, a, now + 1)).toBeNull();
    revokeUserSessions(t.db, staff.userId, now, c);
    expect(resolveSession(t.db, b, now + 1)).toBeNull();
    expect(resolveSession(t.db, c, now + 1)).not.toBeNull();
  });

  it('reports a missing second factor when an owner requires one', async () => {
    const staff = await makeStaff('sam@example.com');
    const token = createSession(t.db, staff.userId, now);
    expect(resolveSession(t.db, token, now)?.mustEnrolTotp).toBe(false);
    t.db.update(s.siteSettings).set({ requireTotp: true }).run();
    expect(resolveSession(t.db, token, now)?.mustEnrolTotp).toBe(true);
  });
});

describe('throttling (finding 10: a delay, never a lock)', () => {
  it('lets a few failures through, then doubles the wait up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((n) => delayAfter(n, 3))).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, MAX_DELAY_MS]);
  });

  it('makes an account wait after its free failures, from any address; a success resets the account', () => {
    for (let i = 0; i < FREE_ACCOUNT_FAILURES - 1; i++) recordAttempt(t.db, 'a@example.com', ADDRESS, false, now);
    expect(throttleWait(t.db, 'a@example.com', ADDRESS, now)).toBe(0);
    recordAttempt(t.db, 'A@example.com', ADDRESS, false, now);
    expect(throttleWait(t.db, 'a@example.com', '198.51.100.1', now)).toBe(1000);
    expect(throttleWait(t.db, 'a@example.com', '198.51.100.1', now + 400)).toBe(600);
    expect(throttleWait(t.db, 'a@example.com', '198.51.100.1', now + 1000)).toBe(0);
    recordAttempt(t.db, 'a@example.com', ADDRESS, true, now + 1001);
    recordAttempt(t.db, 'a@example.com', ADDRESS, false, now + 1002);
    expect(throttleWait(t.db, 'a@example.com', '198.51.100.1', now + 1002)).toBe(0);
  });

  it('never makes anyone wait more than a minute, however many failures a bystander causes', () => {
    for (let i = 0; i < 500; i++) recordAttempt(t.db, 'owner@example.com', `192.0.2.${i % 250}`, false, now);
    expect(throttleWait(t.db, 'owner@example.com', '198.51.100.1', now)).toBe(MAX_DELAY_MS);
    expect(throttleWait(t.db, 'owner@example.com', '198.51.100.1', now + MAX_DELAY_MS)).toBe(0);
    // Failures older than the window no longer count at all.
    expect(throttleWait(t.db, 'owner@example.com', '198.51.100.1', now + THROTTLE_WINDOW_MS + 1)).toBe(0);
  });

  it('makes an address spraying many accounts wait, even after one succeeds', () => {
    for (let i = 0; i < FREE_ADDRESS_FAILURES; i++) recordAttempt(t.db, `u${i}@example.com`, ADDRESS, false, now);
    recordAttempt(t.db, 'real@example.com', ADDRESS, true, now);
    expect(throttleWait(t.db, 'fresh@example.com', ADDRESS, now)).toBe(1000);
    expect(throttleWait(t.db, 'fresh@example.com', '198.51.100.1', now)).toBe(0);
  });
});

describe('signIn', () => {
  it('opens a session for the right password and records the success', async () => {
    const staff = await makeStaff('sam@example.com');
    const token = await attempt('  SAM@example.com ', PASSWORD);
    expect(resolveSession(t.db, token, now)?.staff.userId).toBe(staff.userId);
    expect(t.db.select().from(s.signInAttempts).all().map((a) => [a.key, a.succeeded])).toEqual([
      ['account:sam@example.com', true],
      [`address:${ADDRESS}`, true],
    ]);
  });

  it('refuses a wrong password, an unknown email and a disabled account identically', async () => {
    const staff = await makeStaff('sam@example.com');
    const wrong = await refusalOf(attempt('sam@example.com', 'wrong password!!'));
    const unknown = await refusalOf(attempt('nobody@example.com', PASSWORD));
    t.db.update(s.users).set({ disabledAt: now }).where(eq(s.users.id, staff.userId)).run();
    const disabled = await refusalOf(attempt('sam@example.com', PASSWORD));
    expect([wrong.fields, unknown.fields, disabled.fields]).toEqual([{ form: WRONG_CREDENTIALS }, { form: WRONG_CREDENTIALS }, { form: WRONG_CREDENTIALS }]);
  });

  it('refuses even the right password while the account waits, without argon2 or a record, then lets it in', async () => {
    await makeStaff('sam@example.com');
    for (let i = 0; i < FREE_ACCOUNT_FAILURES; i++) expect((await refusalOf(attempt('sam@example.com', `wrong password ${i}`))).fields).toEqual({ form: WRONG_CREDENTIALS });
    const recorded = t.db.select().from(s.signInAttempts).all().length;
    const throttled = await refusalOf(attempt('sam@example.com', PASSWORD, now + 200));
    expect(throttled).toBeInstanceOf(Throttled);
    expect(throttled.fields).toEqual({ form: 'Too many attempts. Wait 1 second, then try again.' });
    expect((throttled as Throttled).retryAfterSeconds).toBe(1);
    // Not recorded, so hammering does not extend the wait.
    expect(t.db.select().from(s.signInAttempts).all().length).toBe(recorded);
    // Cheap: a throttled attempt never reaches argon2 (which takes tens of ms per try).
    const started = performance.now();
    for (let i = 0; i < 50; i++) await refusalOf(attempt('sam@example.com', `wrong password ${i}`, now + 300));
    expect(performance.now() - started).toBeLessThan(500);
    expect(await attempt('sam@example.com', PASSWORD, now + 1000)).toBeTruthy();
  });

  it('throttles the current-password checks of the account page too', async () => {
    const staff = await makeStaff('sam@example.com');
    const change = (current: string, at: number) => changeOwnPassword(t.db, staff, { current, password: 'new fine passphrase', confirm: 'new fine passphrase' }, at);
    for (let i = 0; i < FREE_ACCOUNT_FAILURES; i++) expect((await refusalOf(change(`wrong guess ${i}`, now))).fields.current).toMatch(/not your current/);
    const throttled = await refusalOf(change(PASSWORD, now + 10));
    expect(throttled).toBeInstanceOf(Throttled);
    expect(throttled.fields.current).toMatch(/^Too many attempts\. Wait 1 second/);
    await expect(disableOwnTotp(t.db, staff, { disablePassword: 'another guess!' }, now + 10)).rejects.toBeInstanceOf(Throttled);
    await change(PASSWORD, now + 1000);
  });

  describe('with TOTP', () => {
    async function enrolled(): Promise<{ staff: Staff; totp: TOTP }> {
      const staff = await makeStaff('sam@example.com');
      const secret = startTotpEnrolment(t.db, staff, now);
      const totp = new TOTP({ secret: Secret.fromBase32(secret) });
      confirmTotp(t.db, staff, { code: totp.generate({ timestamp: now }) }, now);
      return { staff, totp };
    }

    it('asks for the code, refuses a wrong or replayed one, accepts the next', async () => {
      const { totp } = await enrolled();
      const later = now + 60_000;
      expect((await refusalOf(attempt('sam@example.com', PASSWORD, later))).fields).toEqual({ totp: CODE_NEEDED });
      expect((await refusalOf(attempt('sam@example.com', PASSWORD, later, totp.generate({ timestamp: later - 5 * 60_000 })))).fields).toEqual({ totp: CODE_WRONG });
      const code = totp.generate({ timestamp: later });
      expect(await attempt('sam@example.com', PASSWORD, later, code)).toBeTruthy();
      expect((await refusalOf(attempt('sam@example.com', PASSWORD, later + 1000, code))).fields).toEqual({ totp: CODE_WRONG });
      // Replaying the code that confirmed enrolment fails too.
      expect((await refusalOf(attempt('sam@example.com', PASSWORD, now + 1000, totp.generate({ timestamp: now }))))).toBeInstanceOf(Invalid);
    });

    it('counts wrong codes towards the account throttle', async () => {
      const { totp } = await enrolled();
      const later = now + 60_000;
      for (let i = 0; i < FREE_ACCOUNT_FAILURES; i++) await refusalOf(attempt('sam@example.com', PASSWORD, later, '000000' === totp.generate({ timestamp: later }) ? '111111' : '000000'));
      expect(await refusalOf(attempt('sam@example.com', PASSWORD, later, totp.generate({ timestamp: later })))).toBeInstanceOf(Throttled);
    });
  });
});

describe('account commands', () => {
  it('changeOwnPassword needs the current password, applies the rules and ends every session', async () => {
    const staff = await makeStaff('sam@example.com');
    const token = createSession(t.db, staff.userId, now);
    const change = (current: string, password: string, confirm = password) => changeOwnPassword(t.db, staff, { current, password, confirm }, now);
    expect((await refusalOf(change('', 'new fine passphrase'))).fields).toEqual({ current: 'Enter your current password.' });
    expect((await refusalOf(change('nope nope nope', 'new fine passphrase'))).fields.current).toMatch(/not your current/);
    expect((await refusalOf(change(PASSWORD, 'short'))).fields.password).toMatch(/12/);
    expect((await refusalOf(change(PASSWORD, 'new fine passphrase', 'different one!!'))).fields.confirm).toMatch(/differ/);
    expect((await refusalOf(change(PASSWORD, PASSWORD))).fields.password).toMatch(/different/);
    expect(resolveSession(t.db, token, now)).not.toBeNull();
    await change(PASSWORD, 'new fine passphrase');
    expect(resolveSession(t.db, token, now)).toBeNull();
    expect(await attempt('sam@example.com', 'new fine passphrase')).toBeTruthy();
  });

  it('enrols TOTP only with a valid code from the pending secret', async () => {
    const staff = await makeStaff('sam@example.com');
    const secret = startTotpEnrolment(t.db, staff, now);
    expect(startTotpEnrolment(t.db, staff, now)).toBe(secret); // same secret until confirmed
    expect(() => confirmTotp(t.db, staff, { code: '12345' }, now)).toThrow(Invalid);
    expect(() => confirmTotp(t.db, staff, { code: 'abcdef' }, now)).toThrow(Invalid);
    confirmTotp(t.db, staff, { code: new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now }) }, now);
    expect(t.db.select().from(s.users).where(eq(s.users.id, staff.userId)).get()!.totpEnabledAt).toBe(now);
    expect(() => startTotpEnrolment(t.db, staff, now)).toThrow(Conflict);
  });

  it('turns TOTP off with the password, unless an owner requires it', async () => {
    const staff = await makeStaff('sam@example.com');
    const secret = startTotpEnrolment(t.db, staff, now);
    confirmTotp(t.db, staff, { code: new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now }) }, now);
    t.db.update(s.siteSettings).set({ requireTotp: true }).run();
    await expect(disableOwnTotp(t.db, staff, { disablePassword: PASSWORD }, now)).rejects.toBeInstanceOf(Conflict);
    t.db.update(s.siteSettings).set({ requireTotp: false }).run();
    expect((await refusalOf(disableOwnTotp(t.db, staff, { disablePassword: 'wrong one here' }, now))).fields.disablePassword).toMatch(/not your current/);
    await disableOwnTotp(t.db, staff, { disablePassword: PASSWORD }, now);
    expect(t.db.select().from(s.users).where(eq(s.users.id, staff.userId)).get()).toMatchObject({ totpSecret: null, totpEnabledAt: null });
    const actions = t.db.select().from(s.auditLog).all().map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.start_totp', 'user.enable_totp', 'user.disable_totp']));
  });
});
