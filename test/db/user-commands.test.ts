// Owner-only account management: create, change role, disable/enable, reset password and TOTP,
// with the refusals that keep at least one owner and keep viewers and editors out.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import { verifyPassword } from '../../src/server/auth/passwords.ts';
import { createSession, resolveSession } from '../../src/server/auth/sessions.ts';
import type { Authority } from '../../src/server/commands/authority.ts';
import { changeRole, createUser, disableUser, enableUser, resetPassword, resetTotp, SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/server/errors.ts';
import { openCommandDb, type CommandDb } from '../support/command-db.ts';

const now = Date.UTC(2025, 5, 2, 9, 0);
const PASSWORD = 'plenty long passphrase';
let t: CommandDb;

beforeEach(() => {
  t = openCommandDb(now);
});
afterEach(() => t.close());

async function makeUser(email: string, role: 'owner' | 'editor' | 'viewer'): Promise<{ publicId: string; as: Authority; id: number }> {
  const { publicId } = await createUser(t.db, SYSTEM_OWNER, { email, name: email.split('@')[0]!, role, password: PASSWORD }, now);
  const row = t.db.select().from(s.users).where(eq(s.users.publicId, publicId)).get()!;
  return { publicId, id: row.id, as: { actor: { userId: row.id, tokenId: null, label: email }, role } };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

const user = (publicId: string) => t.db.select().from(s.users).where(eq(s.users.publicId, publicId)).get()!;
const auditActions = () => t.db.select().from(s.auditLog).all().map((a) => a.action);

describe('createUser', () => {
  it('stores a normalised email, an argon2id hash (never the password) and an audit entry without secrets', async () => {
    const { publicId } = await createUser(t.db, SYSTEM_OWNER, { email: '  Ann@Example.COM ', name: ' Ann ', role: 'editor', password: PASSWORD }, now);
    const row = user(publicId);
    expect(row).toMatchObject({ email: 'ann@example.com', name: 'Ann', role: 'editor', disabledAt: null });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=1\$/); // the cost itself: password-cost.test.ts
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    const entry = t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'user.create')).get()!;
    expect(JSON.parse(entry.after!)).toEqual({ email: 'ann@example.com', name: 'Ann', role: 'editor' });
    expect(entry.after).not.toContain('argon2');
  });

  it('generates a password to show once when none is given', async () => {
    const created = await createUser(t.db, SYSTEM_OWNER, { email: 'gen@example.com', name: 'Gen', role: 'viewer', password: '' }, now);
    expect(created.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await verifyPassword(created.generatedPassword!, user(created.publicId).passwordHash)).toBe(true);
  });

  it.each([
    [{ email: 'not-an-email' }, 'email', /email address like/],
    [{ email: '' }, 'email', /Enter an email/],
    [{ name: '   ' }, 'name', /Enter a name/],
    [{ role: 'admin' }, 'role', /owner, editor or viewer/],
    [{ password: 'short pw' }, 'password', /at least 12/],
    [{ password: 'password1234' }, 'password', /breached/],
    [{ password: 'dana-the-great-1' }, 'password', /email name/],
  ])('refuses %j with a message on %s', async (change, field, message) => {
    const input = { email: 'dana@example.com', name: 'Dana', role: 'editor', password: PASSWORD, ...change };
    const error = await rejection(createUser(t.db, SYSTEM_OWNER, input, now));
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).fields[field]).toMatch(message);
    expect(t.db.select().from(s.users).all()).toHaveLength(0);
  });

  it('refuses a duplicate email, whatever its case', async () => {
    await makeUser('dup@example.com', 'editor');
    const error = await rejection(createUser(t.db, SYSTEM_OWNER, { email: 'DUP@example.com', name: 'X', role: 'viewer', password: PASSWORD }, now));
    expect((error as Invalid).fields.email).toMatch(/already exists/);
  });

  it('is for owners only', async () => {
    const editor = await makeUser('ed@example.com', 'editor');
    const error = await rejection(createUser(t.db, editor.as, { email: 'x@example.com', name: 'X', role: 'owner', password: PASSWORD }, now));
    expect(error).toBeInstanceOf(Forbidden);
  });
});

describe('changeRole', () => {
  it('changes a role and audits before → after', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    const ed = await makeUser('ed@example.com', 'editor');
    changeRole(t.db, owner.as, ed.publicId, { role: 'viewer' }, now);
    expect(user(ed.publicId).role).toBe('viewer');
    const entry = t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'user.change_role')).get()!;
    expect([JSON.parse(entry.before!), JSON.parse(entry.after!), entry.actorLabel]).toEqual([{ role: 'editor' }, { role: 'viewer' }, 'o@example.com']);
  });

  it('never demotes the last owner', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    expect(refusal(() => changeRole(t.db, owner.as, owner.publicId, { role: 'editor' }, now))).toBeInstanceOf(Conflict);
    const second = await makeUser('o2@example.com', 'owner');
    changeRole(t.db, owner.as, second.publicId, { role: 'editor' }, now);
    expect(refusal(() => changeRole(t.db, owner.as, owner.publicId, { role: 'editor' }, now))).toBeInstanceOf(Conflict);
  });

  it('refuses editors, unknown users and unknown roles', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    const ed = await makeUser('ed@example.com', 'editor');
    expect(refusal(() => changeRole(t.db, ed.as, ed.publicId, { role: 'owner' }, now))).toBeInstanceOf(Forbidden);
    expect(refusal(() => changeRole(t.db, owner.as, 'nosuchuser00', { role: 'viewer' }, now))).toBeInstanceOf(NotFound);
    expect(refusal(() => changeRole(t.db, owner.as, ed.publicId, { role: 'root' }, now))).toBeInstanceOf(Invalid);
    expect(user(ed.publicId).role).toBe('editor');
  });
});

describe('disableUser and enableUser', () => {
  it('disables an account and ends its sessions; enabling lets it sign in again', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    const ed = await makeUser('ed@example.com', 'editor');
    const token = createSession(t.db, ed.id, now);
    disableUser(t.db, owner.as, ed.publicId, now);
    expect(user(ed.publicId).disabledAt).toBe(now);
    expect(resolveSession(t.db, token, now + 1000)).toBeNull();
    enableUser(t.db, owner.as, ed.publicId, now);
    expect(user(ed.publicId).disabledAt).toBeNull();
    expect(resolveSession(t.db, token, now + 2000)).toBeNull(); // the old session stays ended
    expect(auditActions()).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
  });

  it('refuses to disable yourself or the last owner', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    expect(refusal(() => disableUser(t.db, owner.as, owner.publicId, now))).toBeInstanceOf(Conflict);
    const other = await makeUser('o2@example.com', 'owner');
    disableUser(t.db, owner.as, other.publicId, now);
    // other is disabled, so owner is the last active owner: another owner cannot disable them either.
    const third = await makeUser('o3@example.com', 'owner');
    disableUser(t.db, third.as, owner.publicId, now);
    expect(refusal(() => changeRole(t.db, third.as, third.publicId, { role: 'viewer' }, now))).toBeInstanceOf(Conflict);
  });

  it('is for owners only', async () => {
    const ed = await makeUser('ed@example.com', 'editor');
    const v = await makeUser('v@example.com', 'viewer');
    expect(refusal(() => disableUser(t.db, ed.as, v.publicId, now))).toBeInstanceOf(Forbidden);
    expect(refusal(() => enableUser(t.db, v.as, v.publicId, now))).toBeInstanceOf(Forbidden);
  });
});

describe('resetPassword and resetTotp', () => {
  it('sets a new password and ends the sessions', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    const ed = await makeUser('ed@example.com', 'editor');
    const token = createSession(t.db, ed.id, now);
    await resetPassword(t.db, owner.as, ed.publicId, { password: 'another fine passphrase' }, now);
    expect(await verifyPassword('another fine passphrase', user(ed.publicId).passwordHash)).toBe(true);
    expect(resolveSession(t.db, token, now + 1)).toBeNull();
  });

  it('applies the password rules and the owner-only rule', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    const ed = await makeUser('ed@example.com', 'editor');
    expect(((await rejection(resetPassword(t.db, owner.as, ed.publicId, { password: 'short' }, now))) as Invalid).fields.password).toMatch(/12/);
    expect(await rejection(resetPassword(t.db, ed.as, owner.publicId, { password: 'another fine passphrase' }, now))).toBeInstanceOf(Forbidden);
    expect(await verifyPassword(PASSWORD, user(owner.publicId).passwordHash)).toBe(true);
  });

  it('removes a second factor', async () => {
    const owner = await makeUser('o@example.com', 'owner');
    const ed = await makeUser('ed@example.com', 'editor');
    t.db.update(s.users).set({ totpSecret: 'JBSWY3DPEHPK3PXP', totpEnabledAt: now, totpLastStep: 5 }).where(eq(s.users.id, ed.id)).run();
    resetTotp(t.db, owner.as, ed.publicId, now);
    expect(user(ed.publicId)).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    expect(refusal(() => resetTotp(t.db, ed.as, owner.publicId, now))).toBeInstanceOf(Forbidden);
  });
});
