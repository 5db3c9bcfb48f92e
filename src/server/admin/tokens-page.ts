// The owner's API token page: the list, and the create / revoke forms mapped onto the commands.
import type { Db } from '../../../db/client.ts';
import { listApiTokens, SCOPE_HELP, SCOPES, type ApiTokenListing } from '../api-tokens.ts';
import type { Authority } from '../commands/authority.ts';
import { createApiToken, revokeApiToken, type CreatedApiToken } from '../commands/api-tokens.ts';
import { NotFound } from '../errors.ts';
import { FormReader, type FormOutcome, type FormValues } from './form-outcome.ts';

export const SCOPE_CHOICES = SCOPES.map((scope) => ({ scope, field: `scope.${scope}`, help: SCOPE_HELP[scope] }));

export function submitCreateToken(db: Db, owner: Authority, values: FormValues, now: number): FormOutcome<CreatedApiToken> {
  const form = new FormReader(values, 'UTC');
  const scopes = SCOPE_CHOICES.filter((c) => form.checked(c.field)).map((c) => c.scope);
  return form.attempt(() => createApiToken(db, owner, { name: form.text('name'), scopes }, now));
}

export function submitRevokeToken(db: Db, owner: Authority, publicId: string, values: FormValues, now: number): FormOutcome<void> {
  const form = new FormReader(values, 'UTC');
  if (!form.checked('confirm')) {
    form.problems.confirm = 'Tick the box to confirm: every tool using this token stops working at once.';
  }
  return form.attempt(() => revokeApiToken(db, owner, publicId, now));
}

export function loadApiToken(db: Db, publicId: string): ApiTokenListing {
  const token = listApiTokens(db).find((t) => t.publicId === publicId);
  if (!token) throw new NotFound('No such API token.');
  return token;
}

export { listApiTokens };
