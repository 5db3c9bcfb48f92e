// Password hashing with argon2id (Node's built-in crypto.argon2) at OWASP's recommended cost:
// 19 MiB of memory, 2 passes, 1 lane. The stored string names its own parameters, so they can
// be raised later without breaking existing hashes. The test suite sets a trivial cost through
// configuration (CANDOR_PASSWORD_HASH_COST=test): it hashes hundreds of passwords.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { getConfig, type PasswordHashCost } from '../../config.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const HASH_COSTS: Readonly<Record<PasswordHashCost, Argon2Params>> = {
  standard: { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 },
  test: { memory: 64, passes: 1, parallelism: 1, tagLength: 32 },
};
const SALT_BYTES = 16;
export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing stays cheap for attackers' input. */
export const MAX_PASSWORD_LENGTH = 256;

interface Argon2Params {
  memory: number;
  passes: number;
  parallelism: number;
  tagLength: number;
}

function derive(password: string, salt: Buffer, params: Argon2Params): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: password, nonce: salt, ...params }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (PHC string format, unpadded base64), at the
 * configured cost unless one is given.
 */
export async function hashPassword(password: string, cost: PasswordHashCost = getConfig().passwordHashCost): Promise<string> {
  const params = HASH_COSTS[cost];
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(hash)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** True when `password` matches `stored`; compares in constant time. False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const salt = Buffer.from(m[4]!, 'base64');
  const expected = Buffer.from(m[5]!, 'base64');
  const actual = await derive(password.slice(0, MAX_PASSWORD_LENGTH), salt, {
    memory: Number(m[1]),
    passes: Number(m[2]),
    parallelism: Number(m[3]),
    tagLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random secret, verified when the account does not exist so that an unknown email
 * takes as long to refuse as a wrong password.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('hex'));
  return dummy;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'This password appears in lists of breached passwords. Choose another.';
  if (/^(.)\1+$/.test(password)) return 'Do not repeat a single character.';
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && lower.includes(localPart)) return 'Do not include your email name in the password.';
  return null;
}
