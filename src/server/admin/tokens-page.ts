// The owner's API token page: the list, and the create / revoke forms mapped onto the commands.
import type { Db } from '../../../db/client.ts';
import { listApiTokens, SCOPE_HELP, SCOPES, type ApiTokenListing } from '../api-tokens.ts';
import type { CreateApiTokenInput } from '../commands/api-tokens.ts';
import { NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';
import type { FormCall } from './handle-form.ts';

export const SCOPE_CHOICES = SCOPES.map((scope) => ({ scope, field: `scope.${scope}`, help: SCOPE_HELP[scope] }));

/** The new-token form: a name and the ticked scopes. */
export function createTokenInput(form: FormCall): CreateApiTokenInput {
  return { name: form.text('name'), scopes: SCOPE_CHOICES.filter((c) => form.checked(c.field)).map((c) => c.scope) };
}

/** Revoking needs the box ticked: every tool using the token stops working at once. */
export function confirmRevoke(form: FormCall): void {
  if (!form.checked('confirm')) form.problem('confirm', 'Tick the box to confirm: every tool using this token stops working at once.');
}

export function loadApiToken(db: Db, publicId: string): ApiTokenListing {
  const token = listApiTokens(db).find((t) => t.publicId === publicId);
  if (!token) throw new NotFound('No such API token.');
  return token;
}


export const OWNERS_ONLY = { role: 'owner', refusal: 'Only an owner can manage API tokens.' } as const;

export interface TokensPage {
  tokens: ApiTokenListing[];
  timeZone: string;
}

export function getTokensPage(db: Db): TokensPage {
  return { tokens: listApiTokens(db), timeZone: loadSite(db).timeZone };
}

export function getTokenPage(db: Db, publicId: string): { token: ApiTokenListing; timeZone: string } {
  return { token: loadApiToken(db, publicId), timeZone: loadSite(db).timeZone };
}
