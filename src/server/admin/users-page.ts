// Staff accounts as the owner's user pages list them (never the password hash or TOTP secret).
import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { users } from '../../../db/schema.ts';
import type { Role } from '../auth/staff.ts';
import { changeRole, disableUser, enableUser, resetPassword, resetTotp } from '../commands/users.ts';
import { NotFound } from '../errors.ts';
import type { FormCall } from './handle-form.ts';

export interface UserRow {
  publicId: string;
  email: string;
  name: string;
  role: Role;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: number;
}

const columns = {
  publicId: users.publicId,
  email: users.email,
  name: users.name,
  role: users.role,
  totpEnabledAt: users.totpEnabledAt,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};

function toRow(r: { publicId: string; email: string; name: string; role: Role; totpEnabledAt: number | null; disabledAt: number | null; createdAt: number }): UserRow {
  return { publicId: r.publicId, email: r.email, name: r.name, role: r.role, totpEnabled: r.totpEnabledAt !== null, disabled: r.disabledAt !== null, createdAt: r.createdAt };
}

export function listUsers(db: Db): UserRow[] {
  return db.select(columns).from(users).orderBy(asc(users.disabledAt), asc(users.name)).all().map(toRow);
}

export function loadUser(db: Db, publicId: string): UserRow {
  const row = db.select(columns).from(users).where(eq(users.publicId, publicId)).get();
  if (!row) throw new NotFound('No such user.');
  return toRow(row);
}

/** For the first-start hint: is there anyone who could sign in yet? */
export function countStaffAccounts(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

export const OWNERS_ONLY = { role: 'owner', refusal: 'Only an owner can manage staff accounts.' } as const;

export const ROLE_OPTIONS = [
  { value: 'owner', label: 'Owner' },
  { value: 'editor', label: 'Editor' },
  { value: 'viewer', label: 'Viewer' },
];

export const NEW_USER_ROLE_OPTIONS = [
  { value: 'editor', label: 'Editor — incidents, maintenance, components' },
  { value: 'viewer', label: 'Viewer — read only' },
  { value: 'owner', label: 'Owner — everything, including users and settings' },
];

export const ROLE_HELP: Record<Role, string> = { owner: 'everything, including users and settings', editor: 'incidents, maintenance, components', viewer: 'read only' };

/** The user page's forms, one per intent: role, password, totp, disable, enable. */
export async function runUserAction(form: FormCall): Promise<void> {
  const { db, staff, now } = form;
  const publicId = form.params.id ?? '';
  if (form.intent === 'role') changeRole(db, staff, publicId, form.texts('role'), now);
  else if (form.intent === 'disable') disableUser(db, staff, publicId, now);
  else if (form.intent === 'enable') enableUser(db, staff, publicId, now);
  else if (form.intent === 'password') await resetPassword(db, staff, publicId, form.texts('password'), now);
  else if (form.intent === 'totp') resetTotp(db, staff, publicId, now);
  else throw new NotFound('Unknown action.');
}
