// Staff accounts as the owner's user pages list them (never the password hash or TOTP secret).
import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { users } from '../../../db/schema.ts';
import type { Role } from '../auth/staff.ts';
import { NotFound } from '../errors.ts';

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
