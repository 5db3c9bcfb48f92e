// Sign-in throttling, by account and by client address. Keys are recorded whether or not the
// account exists, so a locked-out unknown email looks exactly like a locked-out real one.
import { and, count, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { signInAttempts } from '../../../db/schema.ts';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures within the window before an account is refused (guessing one person's password). */
export const MAX_ACCOUNT_FAILURES = 5;
/** Failures within the window before an address is refused (trying many accounts). */
export const MAX_ADDRESS_FAILURES = 30;
/** Attempts older than this are deleted; they no longer count for anything. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

function failuresSince(db: Db, key: string, since: number): number {
  return (
    db
      .select({ n: count() })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.key, key), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, since)))
      .get()?.n ?? 0
  );
}

function lastSuccessAt(db: Db, key: string): number {
  const row = db
    .select({ at: signInAttempts.at })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.key, key), eq(signInAttempts.succeeded, true)))
    .orderBy(desc(signInAttempts.at))
    .limit(1)
    .get();
  return row?.at ?? 0;
}

/**
 * True when either key has failed too often recently. A success resets the account's count
 * (its owner got in) but not the address's, or one valid account would shield a spray attack.
 */
export function isThrottled(db: Db, email: string, address: string, now: number): boolean {
  const windowStart = now - THROTTLE_WINDOW_MS;
  const account = accountKey(email);
  const accountFailures = failuresSince(db, account, Math.max(windowStart, lastSuccessAt(db, account)));
  if (accountFailures >= MAX_ACCOUNT_FAILURES) return true;
  return failuresSince(db, addressKey(address), windowStart) >= MAX_ADDRESS_FAILURES;
}

export function recordAttempt(db: Db, email: string, address: string, succeeded: boolean, now: number): void {
  db.transaction((tx) => {
    tx.delete(signInAttempts).where(lt(signInAttempts.at, now - RETENTION_MS)).run();
    tx.insert(signInAttempts)
      .values([
        { key: accountKey(email), at: now, succeeded },
        { key: addressKey(address), at: now, succeeded },
      ])
      .run();
  });
}
