// What every signed-in person may do to their own account, whatever their role: change the
// password and set up or remove the second factor.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { siteSettings, users } from '../../../db/schema.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../auth/passwords.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { Staff } from '../auth/staff.ts';
import { recordAttempt, Throttled, throttleWait } from '../auth/throttle.ts';
import { generateTotpSecret, matchTotpStep } from '../auth/totp.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { runStaffCommand } from './run-command.ts';

function loadSelf(db: Db, staff: Staff) {
  const user = db.select().from(users).where(eq(users.id, staff.userId)).get();
  if (!user || user.disabledAt !== null) throw new NotFound('Your account no longer exists.');
  return user;
}

/**
 * Checks the current password under the account's sign-in throttle: a stolen session must not
 * become a way to guess the password without limit.
 */
async function requireCurrentPassword(db: Db, staff: Staff, password: string, field: string, now: number): Promise<void> {
  const user = loadSelf(db, staff);
  if (password === '') throw new Invalid({ [field]: 'Enter your current password.' });
  const wait = throttleWait(db, user.email, null, now);
  if (wait > 0) throw new Throttled(field, wait);
  const matches = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), user.passwordHash);
  recordAttempt(db, user.email, null, matches, now);
  if (!matches) throw new Invalid({ [field]: 'That is not your current password.' });
}

export interface ChangePasswordInput {
  current: string;
  password: string;
  confirm: string;
}

/**
 * Changes your password and ends every session you have, this one included: the caller opens a
 * fresh session for the browser that made the change.
 */
export async function changeOwnPassword(db: Db, staff: Staff, input: ChangePasswordInput, now: number): Promise<void> {
  await requireCurrentPassword(db, staff, input.current, 'current', now);
  const problem = passwordProblem(input.password, staff.email);
  if (problem) throw new Invalid({ password: problem });
  if (input.password !== input.confirm) throw new Invalid({ confirm: 'The two new passwords differ.' });
  if (input.password === input.current) throw new Invalid({ password: 'Choose a password different from the current one.' });
  const passwordHash = await hashPassword(input.password);
  runStaffCommand(db, staff.actor, now, ({ tx, audit }) => {
    tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, staff.userId)).run();
    revokeUserSessions(tx, staff.userId, now);
    audit({ action: 'user.change_password', entityType: 'user', entityId: staff.publicId });
  });
}

/** A pending secret for the enrolment page; replaced each time until a code confirms it. */
export function startTotpEnrolment(db: Db, staff: Staff, now: number): string {
  const user = loadSelf(db, staff);
  if (user.totpEnabledAt !== null) throw new Conflict('Two-step sign-in is already on.');
  if (user.totpSecret) return user.totpSecret;
  const secret = generateTotpSecret();
  runStaffCommand(db, staff.actor, now, ({ tx, audit }) => {
    tx.update(users).set({ totpSecret: secret, updatedAt: now }).where(eq(users.id, staff.userId)).run();
    audit({ action: 'user.start_totp', entityType: 'user', entityId: staff.publicId });
  });
  return secret;
}

/** Turns the second factor on once a code from the pending secret proves the app has it. */
export function confirmTotp(db: Db, staff: Staff, input: { code: string }, now: number): void {
  const { code } = input;
  const user = loadSelf(db, staff);
  if (user.totpEnabledAt !== null) throw new Conflict('Two-step sign-in is already on.');
  if (!user.totpSecret) throw new Conflict('Start the set-up again: no secret is waiting for confirmation.');
  const step = matchTotpStep(user.totpSecret, code, now, null);
  if (step === null) throw new Invalid({ code: 'That code does not match. Check the time on your phone and type the current code.' });
  runStaffCommand(db, staff.actor, now, ({ tx, audit }) => {
    tx.update(users).set({ totpEnabledAt: now, totpLastStep: step, updatedAt: now }).where(eq(users.id, staff.userId)).run();
    audit({ action: 'user.enable_totp', entityType: 'user', entityId: staff.publicId, before: { totp: false }, after: { totp: true } });
  });
}

export async function disableOwnTotp(db: Db, staff: Staff, input: { disablePassword: string }, now: number): Promise<void> {
  const required = db.select({ v: siteSettings.requireTotp }).from(siteSettings).get()?.v ?? false;
  if (required) throw new Conflict('An owner requires two-step sign-in for every account, so it cannot be turned off.');
  await requireCurrentPassword(db, staff, input.disablePassword, 'disablePassword', now);
  runStaffCommand(db, staff.actor, now, ({ tx, audit }) => {
    tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now }).where(eq(users.id, staff.userId)).run();
    audit({ action: 'user.disable_totp', entityType: 'user', entityId: staff.publicId, before: { totp: true }, after: { totp: false } });
  });
}
