// Checks a sign-in and opens a session. Every refusal of email or password reads the same and
// costs the same argon2 work, so the form never tells whether an account exists. A throttled
// attempt costs no argon2 work at all (see throttle.ts).
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { users } from '../../../db/schema.ts';
import { Invalid } from '../errors.ts';
import { dummyPasswordHash, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';
import { recordAttempt, throttleWait, Throttled } from './throttle.ts';
import { matchTotpStep } from './totp.ts';

export const WRONG_CREDENTIALS = 'Email or password is incorrect.';
export const CODE_NEEDED = 'Enter the 6-digit code from your authenticator app.';
export const CODE_WRONG = 'That code is not valid. Check that the time on your phone is right, and use a fresh code.';

export interface SignInInput {
  email: string;
  password: string;
  totpCode: string;
  /** The client's address, for throttling. */
  address: string;
}

/**
 * Returns a new session token, or throws Invalid with a message for `form` or `totp` (Throttled,
 * with the seconds to wait, while this account or address must wait).
 */
export async function signIn(db: Db, input: SignInInput, now: number): Promise<string> {
  const email = input.email.trim().toLowerCase();
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH);
  // Refused before any password work and not recorded, so the wait ends on schedule.
  const wait = throttleWait(db, email, input.address, now);
  if (wait > 0) throw new Throttled('form', wait);
  const user = email ? db.select().from(users).where(eq(users.email, email)).get() : undefined;
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));

  if (!user || !passwordMatches || user.disabledAt !== null) {
    recordAttempt(db, email, input.address, false, now);
    throw new Invalid({ form: WRONG_CREDENTIALS });
  }
  if (user.totpEnabledAt !== null && user.totpSecret) {
    if (input.totpCode.trim() === '') throw new Invalid({ totp: CODE_NEEDED });
    const step = matchTotpStep(user.totpSecret, input.totpCode, now, user.totpLastStep);
    if (step === null) {
      recordAttempt(db, email, input.address, false, now);
      throw new Invalid({ totp: CODE_WRONG });
    }
    db.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id)).run();
  }
  recordAttempt(db, email, input.address, true, now);
  return createSession(db, user.id, now);
}
