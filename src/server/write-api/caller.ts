// Who is calling the admin API and what they may do: an API token (its scopes, acting as an
// editor under the token's name) or a signed-in staff member (viewers may only read).
import { SCOPES, type ResolvedApiToken, type Scope } from '../api-tokens.ts';
import type { Staff } from '../auth/staff.ts';
import type { Authority } from '../commands/authority.ts';

export interface ApiCaller {
  authority: Authority;
  scopes: readonly Scope[];
  /** Null for a browser session. */
  token: ResolvedApiToken | null;
}

export function tokenCaller(token: ResolvedApiToken): ApiCaller {
  // Policies and site settings are owners' to change, and only an owner can make a token, so a
  // token given config:write acts with an owner's rights; other tokens write as editors.
  const role = token.scopes.includes('config:write') ? 'owner' : 'editor';
  return {
    authority: { actor: { userId: null, tokenId: token.id, label: `token:${token.name}` }, role },
    scopes: token.scopes,
    token,
  };
}

export function sessionCaller(staff: Staff): ApiCaller {
  return { authority: staff, scopes: staff.role === 'viewer' ? ['read'] : SCOPES, token: null };
}

/** True when the caller holds at least one of `anyOf`. */
export function holdsScope(caller: ApiCaller, anyOf: readonly Scope[]): boolean {
  return anyOf.some((scope) => caller.scopes.includes(scope));
}
