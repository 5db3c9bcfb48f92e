// Owners create and revoke API tokens. Both are audited; the audit log names the token, never
// its secret, and the secret itself exists only in the creation's return value.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import { apiTokens } from '../../../db/schema.ts';
import { generateApiToken, hashApiToken, SCOPES, type Scope } from '../api-tokens.ts';
import { requireRole } from '../auth/staff.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { parseInput } from './input.ts';
import { runStaffCommand } from './run-command.ts';

const NAME_MAX_LENGTH = 100;

export const createApiTokenInput = z.object({
  name: z
    .string({ error: 'Name the token after the tool that will use it, e.g. "Pager bot".' })
    .trim()
    .min(1, 'Name the token after the tool that will use it, e.g. "Pager bot".')
    .max(NAME_MAX_LENGTH, `Keep the name under ${NAME_MAX_LENGTH} characters.`),
  scopes: z
    .array(z.enum(SCOPES, { error: 'Choose among incidents:write, maintenance:write, config:write, subscribers:write and read.' }), { error: 'Choose at least one scope.' })
    .min(1, 'Choose at least one scope: what may this tool do?'),
});

export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

export interface CreatedApiToken {
  publicId: string;
  /** The secret, to show once; only its hash is stored. */
  token: string;
  name: string;
  scopes: Scope[];
}

export function createApiToken(db: Db, by: Authority, input: CreateApiTokenInput, now: number): CreatedApiToken {
  requireRole(by, 'owner');
  const data = parseInput(createApiTokenInput, input);
  const scopes = SCOPES.filter((s) => data.scopes.includes(s));
  return runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const clash = tx
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.name, data.name), isNull(apiTokens.revokedAt)))
      .get();
    // The audit log names tokens, so two live tokens must not share a name.
    if (clash) throw new Invalid({ name: 'A live token already has this name. Choose another, or revoke the old one first.' });
    const token = generateApiToken();
    const publicId = newPublicId();
    tx.insert(apiTokens)
      .values({ publicId, name: data.name, tokenHash: hashApiToken(token), scopes: JSON.stringify(scopes), createdBy: by.actor.userId, createdAt: now })
      .run();
    audit({ action: 'api_token.create', entityType: 'api_token', entityId: publicId, after: { name: data.name, scopes } });
    return { publicId, token, name: data.name, scopes };
  });
}

export function revokeApiToken(db: Db, by: Authority, publicId: string, now: number): void {
  requireRole(by, 'owner');
  runStaffCommand(db, by.actor, now, ({ tx, audit }) => {
    const row = tx.select().from(apiTokens).where(eq(apiTokens.publicId, publicId)).get();
    if (!row) throw new NotFound('No such API token.');
    if (row.revokedAt !== null) throw new Conflict('This token was already revoked.');
    tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, row.id)).run();
    audit({ action: 'api_token.revoke', entityType: 'api_token', entityId: publicId, before: { name: row.name, revokedAt: null }, after: { revokedAt: now } });
  });
}
