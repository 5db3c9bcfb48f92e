// The real argon2 cost. The rest of the suite hashes at a trivial cost set through configuration
// (CANDOR_PASSWORD_HASH_COST=test, see vitest.config.ts); this file runs in the vitest project
// that leaves it unset, so what it checks is what production does.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import { getConfig, passwordHashCostOf } from '../../src/config.ts';
import { verifyPassword } from '../../src/server/auth/passwords.ts';
import { signIn, WRONG_CREDENTIALS } from '../../src/server/auth/sign-in.ts';
import { createUser, SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { openCommandDb, type CommandDb } from '../support/command-db.ts';
import { refusalOf } from '../support/refusal.ts';

const now = Date.UTC(2025, 5, 2, 9, 0, 10);
const PASSWORD = 'plenty long passphrase';
let t: CommandDb;

beforeEach(() => {
  t = openCommandDb(now);
});
afterEach(() => t.close());

const attempt = (email: string, password: string, address: string) => signIn(t.db, { email, password, totpCode: '', address }, now);

describe('the password hashing cost', () => {
  it("is OWASP's argon2id cost unless configured otherwise", async () => {
    expect(getConfig().passwordHashCost).toBe('standard');
    const { publicId } = await createUser(t.db, SYSTEM_OWNER, { email: 'ann@example.com', name: 'Ann', role: 'editor', password: PASSWORD }, now);
    const row = t.db.select().from(s.users).where(eq(s.users.publicId, publicId)).get()!;
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
  });

  it('takes the test cost only outside production, and nothing else', () => {
    expect(passwordHashCostOf({})).toBe('standard');
    expect(passwordHashCostOf({ CANDOR_PASSWORD_HASH_COST: 'test' })).toBe('test');
    expect(passwordHashCostOf({ CANDOR_PASSWORD_HASH_COST: 'test', NODE_ENV: 'production' })).toBe('standard');
    expect(() => passwordHashCostOf({ CANDOR_PASSWORD_HASH_COST: 'cheap' })).toThrow(/standard or test/);
  });

  it('spends comparable time on an unknown email and a wrong password (argon2 either way)', async () => {
    await createUser(t.db, SYSTEM_OWNER, { email: 'sam@example.com', name: 'Sam', role: 'editor', password: PASSWORD }, now);
    await refusalOf(attempt('warm@example.com', PASSWORD, '192.0.2.99')); // the dummy hash is made once
    // Interleaved, one attempt each in turn: whichever side ran first used to pay the warm-up
    // (threads, the first 19 MiB allocations), which read as "an unknown email is refused twice as
    // fast" when all known attempts came first.
    const once = async (email: string, i: number) => {
      const started = performance.now();
      expect((await refusalOf(attempt(email, `wrong password ${i}`, `192.0.2.${i}`))).fields).toEqual({ form: WRONG_CREDENTIALS });
      return performance.now() - started;
    };
    let known = 0;
    let unknown = 0;
    for (let i = 0; i < 3; i++) {
      known += await once('sam@example.com', i);
      unknown += await once('ghost@example.com', i);
    }
    // Skipping argon2 for an unknown email would make it ~100 times cheaper (under 1 ms against
    // ~100 ms here), so a factor of 10 either way still catches that, while a machine busy with the
    // rest of the suite (which stretches one side's wall time) does not decide the outcome.
    expect(unknown).toBeGreaterThan(known / 10);
    expect(unknown).toBeLessThan(known * 10);
  });
});
