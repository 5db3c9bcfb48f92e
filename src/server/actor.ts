// Who is acting, and the transaction handle writes go through. They sit below auth/ and
// commands/ (both use them), so neither layer imports the other for a type.
import type { Db } from '../../db/client.ts';

/** Who is acting: a signed-in user, an API token, or the system (seed, CLI). */
export interface Actor {
  userId: number | null;
  tokenId: number | null;
  /** Human-readable, for the audit log: an email, a token name, or 'system'. */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, tokenId: null, label: 'system' };

/** The transaction handle handed to a command body (same query API as Db). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
