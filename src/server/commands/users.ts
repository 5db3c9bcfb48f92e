// Owner-only management of staff accounts: create, change role, reset password or second
// factor, disable and enable. There is always at least one active owner.
import { randomBytes } from 'node:crypto';
import { and, count, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import { users } from '../../../db/schema.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import { requireRole, type Role } from '../auth/staff.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { parseInput } from './input.ts';
import { runStaffCommand } from './run-command.ts';
import { SYSTEM_ACTOR, type Tx } from '../actor.ts';
import { emailField, nameField, roleField } from './staff-input.ts';

/** The command-line tool (first owner) and test set-up act as the system, outside any session. */
export const SYSTEM_OWNER: Authority = { actor: SYSTEM_ACTOR, role: 'owner' };

const createSchema = z.object({ email: emailField, name: nameField, role: roleField, password: z.string() });

export interface CreateUserInput {
  email: string;
  name: string;
  role: string;
  /** Empty: a random password is generated and returned, to be shown once. */
  password: string;
}

export interface CreatedUser {
  publicId: string;
  /** Set when the password was generated rather than chosen. */
  generatedPassword: string | null;
}

export async function createUser(db: Db, by: Authority, input: CreateUserInput, now: number): Promise<CreatedUser> {
  requireRole(by, 'owner');
  const data = parseInput(createSchema, input);
  const generatedPassword = data.password === '' ? randomBytes(15).toString('base64url') : null;
  const password = generatedPassword ?? data.password;
  const problem = passwordProblem(password, data.email);
  if (problem) throw new Invalid({ password: problem });
  const passwordHash = await hashPassword(password);
  return runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, data.email)).get()) {
      throw new Invalid({ email: 'An account with this email already exists.' });
    }
    const publicId = newPublicId();
    tx.insert(users)
      .values({ publicId, email: data.email, name: data.name, role: data.role, passwordHash, createdAt: now, updatedAt: now })
      .run();
    audit({ action: 'user.create', entityType: 'user', entityId: publicId, after: { email: data.email, name: data.name, role: data.role } });
    return { publicId, generatedPassword };
  });
}

function findUser(tx: Tx, publicId: string) {
  const user = tx.select().from(users).where(eq(users.publicId, publicId)).get();
  if (!user) throw new NotFound('No such user.');
  return user;
}

function otherActiveOwners(tx: Tx, userId: number): number {
  return (
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'owner'), isNull(users.disabledAt), ne(users.id, userId)))
      .get()?.n ?? 0
  );
}

export function changeRole(db: Db, by: Authority, publicId: string, input: { role: string }, now: number): void {
  requireRole(by, 'owner');
  const newRole: Role = parseInput(z.object({ role: roleField }), input).role;
  runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const user = findUser(tx, publicId);
    if (user.role === newRole) return;
    if (user.role === 'owner' && user.disabledAt === null && otherActiveOwners(tx, user.id) === 0) {
      throw new Conflict('This is the last owner. Make someone else an owner first.');
    }
    tx.update(users).set({ role: newRole, updatedAt: now }).where(eq(users.id, user.id)).run();
    audit({ action: 'user.change_role', entityType: 'user', entityId: publicId, before: { role: user.role }, after: { role: newRole } });
  });
}

export function disableUser(db: Db, by: Authority, publicId: string, now: number): void {
  requireRole(by, 'owner');
  runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const user = findUser(tx, publicId);
    if (user.disabledAt !== null) return;
    if (user.id === by.actor.userId) throw new Conflict('You cannot disable your own account. Ask another owner.');
    if (user.role === 'owner' && otherActiveOwners(tx, user.id) === 0) {
      throw new Conflict('This is the last owner. Make someone else an owner first.');
    }
    tx.update(users).set({ disabledAt: now, updatedAt: now }).where(eq(users.id, user.id)).run();
    revokeUserSessions(tx, user.id, now);
    audit({ action: 'user.disable', entityType: 'user', entityId: publicId, before: { disabled: false }, after: { disabled: true } });
  });
}

export function enableUser(db: Db, by: Authority, publicId: string, now: number): void {
  requireRole(by, 'owner');
  runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const user = findUser(tx, publicId);
    if (user.disabledAt === null) return;
    tx.update(users).set({ disabledAt: null, updatedAt: now }).where(eq(users.id, user.id)).run();
    audit({ action: 'user.enable', entityType: 'user', entityId: publicId, before: { disabled: true }, after: { disabled: false } });
  });
}

/** An owner sets someone's password (forgotten, or a leaked one); their sessions end. */
export async function resetPassword(db: Db, by: Authority, publicId: string, input: { password: string }, now: number): Promise<void> {
  const { password } = input;
  requireRole(by, 'owner');
  const target = db.select({ email: users.email }).from(users).where(eq(users.publicId, publicId)).get();
  if (!target) throw new NotFound('No such user.');
  const problem = passwordProblem(password, target.email);
  if (problem) throw new Invalid({ password: problem });
  const passwordHash = await hashPassword(password);
  runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const user = findUser(tx, publicId);
    tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id)).run();
    revokeUserSessions(tx, user.id, now);
    audit({ action: 'user.reset_password', entityType: 'user', entityId: publicId });
  });
}

/** An owner removes someone's second factor (a lost phone); they must enrol again if required. */
export function resetTotp(db: Db, by: Authority, publicId: string, now: number): void {
  requireRole(by, 'owner');
  runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const user = findUser(tx, publicId);
    if (user.totpSecret === null && user.totpEnabledAt === null) return;
    tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now }).where(eq(users.id, user.id)).run();
    revokeUserSessions(tx, user.id, now);
    audit({ action: 'user.reset_totp', entityType: 'user', entityId: publicId, before: { totp: user.totpEnabledAt !== null }, after: { totp: false } });
  });
}
