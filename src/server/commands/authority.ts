// Who may run a command. Admin pages pass the signed-in Staff (it has both fields); the write API
// passes its token's actor with the role the token's scope grants.
import type { Actor } from '../actor.ts';
import type { Role } from '../auth/staff.ts';
import { Forbidden } from '../errors.ts';

export interface Authority {
  actor: Actor;
  role: Role;
}

// Mirrors hasRole's ranking: owners can do everything editors can.
const WRITERS: ReadonlySet<Role> = new Set(['editor', 'owner']);

/** Incidents, post-mortems and maintenance are written by editors and owners. */
export function requireEditor(authority: Authority): void {
  if (!WRITERS.has(authority.role)) {
    throw new Forbidden('Your account can read the workspace but not change it. Ask an owner for the editor role.');
  }
}
