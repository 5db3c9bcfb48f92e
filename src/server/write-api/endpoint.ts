// One shape for every admin API endpoint: the caller (set by the admin guard) and its scope are
// checked again here, so no endpoint is reachable without a valid token or session; the JSON body
// is read and translated; the command's refusals become JSON errors. Nothing is written on error:
// each command runs in one transaction, and all checks here happen before it.
import type { APIContext, APIRoute } from 'astro';
import type { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import type { Scope } from '../api-tokens.ts';
import { getDb } from '../db.ts';
import { Invalid } from '../errors.ts';
import { holdsScope, type ApiCaller } from './caller.ts';
import { BadBody, camelizeKeys, convertInstants, readJsonObject, toRequestField, unknownFields, type JsonObject } from './body.ts';
import { asUnavailable } from '../storage-faults.ts';
import { apiError, errorResponseFor, unauthorized, unavailableResponse } from './errors.ts';

export interface Call<I> {
  db: Db;
  caller: ApiCaller;
  params: Record<string, string | undefined>;
  /** The body with camelCase names and times in epoch ms, ready for the command. */
  input: I;
  now: number;
}

export interface Answer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface EndpointSpec<I> {
  /** The caller needs at least one of these. */
  scopes: readonly Scope[];
  /** For writes: the accepted fields (usually the command's own input schema) and which are times. */
  body?: { schema: z.ZodType; instants?: readonly string[] };
  run: (call: Call<I>) => Answer | Response;
}

export function apiRoute<I = JsonObject>(spec: EndpointSpec<I>): APIRoute {
  const route = handle(spec);
  // A bug still answers in the API's shape (and the guard still marks it private); the details go
  // to the server log, not to the client.
  return async (context: APIContext) => {
    try {
      return await route(context);
    } catch (error) {
      const unavailable = asUnavailable(error);
      if (unavailable) return unavailableResponse(unavailable);
      console.error(`Write API ${context.request.method} ${context.url.pathname} failed:`, error);
      return apiError(500, 'internal', 'Something went wrong on our side; nothing was saved. Try again, and tell the site owner if it persists.');
    }
  };
}

function handle<I>(spec: EndpointSpec<I>): (context: APIContext) => Promise<Response> {
  return async (context: APIContext) => {
    const caller = context.locals.apiCaller;
    if (!caller) return unauthorized('Send an API token (Authorization: Bearer <token>) or sign in first.', false);
    if (!holdsScope(caller, spec.scopes)) return scopeRefusal(caller, spec.scopes);
    let input: unknown = {};
    if (spec.body) {
      let raw: JsonObject;
      try {
        raw = await readJsonObject(context.request);
      } catch (error) {
        if (error instanceof BadBody) return apiError(400, 'bad_request', error.message);
        throw error;
      }
      const unknown = unknownFields(spec.body.schema, raw);
      if (Object.keys(unknown).length > 0) return errorResponseFor(new Invalid(unknown));
      input = camelizeKeys(raw);
      const times = convertInstants(input as JsonObject, spec.body.instants ?? []);
      if (Object.keys(times).length > 0) return errorResponseFor(new Invalid(times));
    }
    try {
      const answer = spec.run({ db: getDb(), caller, params: context.params, input: input as I, now: Date.now() });
      if (answer instanceof Response) return answer;
      return new Response(JSON.stringify(answer.body), {
        status: answer.status ?? 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers },
      });
    } catch (error) {
      return errorResponseFor(error, toRequestField);
    }
  };
}

function scopeRefusal(caller: ApiCaller, needed: readonly Scope[]): Response {
  if (caller.token === null) return apiError(403, 'forbidden', 'Your role is viewer: you can read through the API but not change anything.');
  const names = needed.map((s) => `"${s}"`).join(' or ');
  return apiError(403, 'forbidden', `This token has the scopes ${caller.scopes.map((s) => `"${s}"`).join(', ')}; this call needs ${names}. Ask an owner for a token with that scope.`);
}

/** For every route: a method the route does not serve gets 405 with the ones it does. */
export function methodNotAllowed(allowed: string[]): APIRoute {
  return () => apiError(405, 'method_not_allowed', `Use ${allowed.join(' or ')} here.`, { headers: { Allow: allowed.join(', ') } });
}
