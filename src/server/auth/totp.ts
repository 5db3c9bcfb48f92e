// Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator
// app expects). A code is accepted one step either side of now, for clocks that drift, and never
// twice: the caller stores the step it was accepted at.
import { Secret, TOTP } from 'otpauth';

const PERIOD_S = 30;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app imports (typed in, or pasted). */
export function totpUri(secret: string, issuer: string, email: string): string {
  return totpFor(secret, issuer, email).toString();
}

/**
 * The time step a code is valid for, or null. `lastStep` is the step of the previously accepted
 * code: anything at or before it is a replay.
 */
export function matchTotpStep(secret: string, code: string, now: number, lastStep: number | null): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secret, 'Candor', 'staff').validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD_S) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}
