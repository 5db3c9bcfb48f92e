// Who is signed in, as seen by admin pages and commands.
import type { Actor } from '../commands/run-command.ts';
import { Forbidden } from '../errors.ts';

export type Role = 'owner' | 'editor' | 'viewer';

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

/** For commands: refuse unless the caller holds at least `needed`. */
export function requireRole(staff: Staff | null, needed: Role): asserts staff is Staff {
  if (!hasRole(staff, needed)) throw new Forbidden(`Only ${needed === 'owner' ? 'an owner' : `an ${needed} or owner`} can do this.`);
}
