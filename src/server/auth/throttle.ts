// Sign-in throttling by account and by client address, as a progressive delay rather than a lock:
// a few failures are free, then each further failure doubles the wait before the next attempt is
// even looked at, up to a minute. Someone who knows a staff email can make its owner wait at most
// that minute; they cannot lock anyone out. Throttled attempts are refused before any argon2 work
// and are not recorded, so hammering costs the server almost nothing and does not extend the wait.
// Keys are recorded whether or not the account exists, so an unknown email behaves like a real one.
import { and, count, eq, gt, lt, max } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { signInAttempts } from '../../../db/schema.ts';
import { Invalid } from '../errors.ts';

/** Failures older than this no longer count. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures free of any wait: a person mistyping. */
export const FREE_ACCOUNT_FAILURES = 3;
/** An address may fail more before it waits: several staff can share one (an office, a proxy). */
export const FREE_ADDRESS_FAILURES = 30;
export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60_000;
/** Attempts older than this are deleted; they no longer count for anything. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** The wait after `failures` recent failures when `free` are allowed: 0, then 1 s, 2 s, 4 s … 60 s. */
export function delayAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - free, 16));
}

function failuresSince(db: Db, key: string, since: number): { n: number; last: number } {
  const row = db
    .select({ n: count(), last: max(signInAttempts.at) })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.key, key), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, since)))
    .get();
  return { n: row?.n ?? 0, last: row?.last ?? 0 };
}

function lastSuccessAt(db: Db, key: string): number {
  const row = db
    .select({ at: max(signInAttempts.at) })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.key, key), eq(signInAttempts.succeeded, true)))
    .get();
  return row?.at ?? 0;
}

function waitFor(db: Db, key: string, free: number, since: number, now: number): number {
  const failures = failuresSince(db, key, since);
  if (failures.n === 0) return 0;
  return Math.max(0, failures.last + delayAfter(failures.n, free) - now);
}

/**
 * How long (ms) this account, and this address if given, must still wait; 0 when an attempt may
 * go ahead. A success resets the account (its owner got in) but not the address, or one valid
 * account would shield a spray attack.
 */
export function throttleWait(db: Db, email: string, address: string | null, now: number): number {
  const windowStart = now - THROTTLE_WINDOW_MS;
  const account = accountKey(email);
  const accountWait = waitFor(db, account, FREE_ACCOUNT_FAILURES, Math.max(windowStart, lastSuccessAt(db, account)), now);
  const addressWait = address === null ? 0 : waitFor(db, addressKey(address), FREE_ADDRESS_FAILURES, windowStart, now);
  return Math.max(accountWait, addressWait);
}

/** Records an attempt for the account, and for the address when given. */
export function recordAttempt(db: Db, email: string, address: string | null, succeeded: boolean, now: number): void {
  db.transaction((tx) => {
    tx.delete(signInAttempts).where(lt(signInAttempts.at, now - RETENTION_MS)).run();
    tx.insert(signInAttempts)
      .values([{ key: accountKey(email), at: now, succeeded }, ...(address === null ? [] : [{ key: addressKey(address), at: now, succeeded }])])
      .run();
  });
}

/** A refusal to even check a password yet: 429 with Retry-After, the message on the form. */
export class Throttled extends Invalid {
  override name = 'Throttled';
  override readonly status = 429;
  override readonly code = 'throttled';
  override readonly retryAfterSeconds: number;
  constructor(field: string, waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super({ [field]: `Too many attempts. Wait ${seconds === 1 ? '1 second' : `${seconds} seconds`}, then try again.` });
    this.retryAfterSeconds = seconds;
  }
}
