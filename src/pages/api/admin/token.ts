// GET /api/admin/token — who is calling: the token's name and scopes (any scope may ask).
import { SCOPES } from '../../../server/api-tokens.ts';
import { callerDocument } from '../../../server/write-api/documents.ts';
import { apiRoute, methodNotAllowed } from '../../../server/write-api/endpoint.ts';

export const GET = apiRoute({ scopes: SCOPES, run: ({ caller }) => ({ body: callerDocument(caller) }) });
export const HEAD = GET;
export const ALL = methodNotAllowed(['GET']);
