// Who is signed in, as seen by admin pages and commands.
import type { StaffRole } from '../../domain/status.ts';
import type { Actor } from '../actor.ts';
import { Forbidden } from '../errors.ts';

export type Role = StaffRole;

export interface Staff {
  userId: number;
  publicId: string;
  email: string;
  name: string;
  role: Role;
  /** The same identity, shaped for runCommand's audit trail. */
  actor: Actor;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

/** Editors write incidents and maintenance; owners also manage users, tokens and settings. */
export function hasRole(staff: Staff | null, needed: Role): staff is Staff {
  return staff !== null && RANK[staff.role] >= RANK[needed];
}

/** For commands: refuse unless the caller (staff, or an API token's authority) holds at least `needed`. */
export function requireRole(caller: { role: Role } | null, needed: Role): void {
  if (caller === null || RANK[caller.role] < RANK[needed]) {
    throw new Forbidden(needed === 'owner' ? 'Only an owner can do this.' : 'Your account can read the workspace but not change it. Ask an owner for the editor role.');
  }
}
