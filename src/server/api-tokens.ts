// API tokens for the write API: 256 random bits shown once with a recognisable prefix (so secret
// scanners and people can tell what leaked), stored only as a SHA-256 hash, scoped, revocable.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, users } from '../../db/schema.ts';

export const TOKEN_PREFIX = 'candor_';

export const SCOPES = ['incidents:write', 'maintenance:write', 'config:write', 'subscribers:write', 'read'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_HELP: Record<Scope, string> = {
  'incidents:write': 'open and update incidents: updates, apologies, corrections, impact windows, resolve, post-mortems',
  'maintenance:write': 'schedule maintenance and move it through start, verify, complete, cancel; post updates',
  'config:write': 'set the site up: components, groups, SLA policies and site settings (acts with an owner\'s rights over them)',
  'subscribers:write': 'list, add and remove subscribers, webhooks and chat destinations (their addresses are personal data)',
  read: 'read incidents, maintenance and the token itself (GET only)',
};

/** last_used_at is refreshed at most this often: a write per call would be wasteful. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function parseScopes(stored: string): Scope[] {
  const parsed: unknown = JSON.parse(stored);
  return Array.isArray(parsed) ? SCOPES.filter((s) => parsed.includes(s)) : [];
}

export interface ResolvedApiToken {
  id: number;
  publicId: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
}

/** The live token for a presented secret, or null when unknown or revoked. Records the use. */
export function resolveApiToken(db: Db, token: string, now: number): ResolvedApiToken | null {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashApiToken(token)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_INTERVAL_MS) {
    db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).run();
  }
  return { id: row.id, publicId: row.publicId, name: row.name, scopes: parseScopes(row.scopes), createdAt: row.createdAt };
}

export interface ApiTokenListing {
  publicId: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** For the owner's token page: live tokens first, newest first. Never the hash. */
export function listApiTokens(db: Db): ApiTokenListing[] {
  const rows = db
    .select({
      publicId: apiTokens.publicId,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      createdBy: users.name,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .all();
  const listed = rows.map((r) => ({ ...r, scopes: parseScopes(r.scopes) }));
  return [...listed.filter((t) => t.revokedAt === null), ...listed.filter((t) => t.revokedAt !== null)];
}
