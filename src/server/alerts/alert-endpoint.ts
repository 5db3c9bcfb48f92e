// POST /api/alerts/<source>: monitoring posts alerts here with the source's own token
// (Authorization: Bearer …). An unknown source and a wrong token get the same 401, so source
// names cannot be probed. Answers in the write API's JSON shapes; 202 = recorded as drafts/notes,
// nothing published.
import type { APIContext, APIRoute } from 'astro';
import { and, eq, isNull } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { hashApiToken } from '../api-tokens.ts';
import type { AlertRule } from '../commands/alert-sources.ts';
import { receiveAlerts } from '../commands/receive-alerts.ts';
import { getDb } from '../db.ts';
import { apiError, errorResponseFor, unauthorized } from '../write-api/errors.ts';
import { parseAlerts } from './parse-alerts.ts';

/** Alertmanager batches many alerts; 1 MB is far above a real payload. */
const MAX_BODY = 1024 * 1024;

export const receiveAlertRoute: APIRoute = async (context: APIContext) => {
  try {
    return await handle(context);
  } catch (error) {
    console.error(`Alert webhook ${context.url.pathname} failed:`, error);
    return apiError(500, 'internal', 'Something went wrong on our side; nothing was saved.');
  }
};

async function handle(context: APIContext): Promise<Response> {
  const db = getDb();
  const token = /^Bearer\s+(\S+)$/i.exec(context.request.headers.get('authorization') ?? '')?.[1];
  if (!token) return unauthorized('Send the alert source’s token: Authorization: Bearer <token>.', false);
  const source = db
    .select()
    .from(s.alertSources)
    .where(and(eq(s.alertSources.slug, context.params.source ?? ''), eq(s.alertSources.tokenHash, hashApiToken(token)), isNull(s.alertSources.disabledAt)))
    .get();
  if (!source) return unauthorized('Unknown alert source or wrong token.', true);

  const declared = Number(context.request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY) return apiError(413, 'payload_too_large', 'Alert payloads may be at most 1 MB.');
  const text = await context.request.text();
  if (text.length > MAX_BODY) return apiError(413, 'payload_too_large', 'Alert payloads may be at most 1 MB.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return apiError(400, 'bad_request', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const now = Date.now();
  try {
    const alerts = parseAlerts(source.kind, body, now);
    const authority = { actor: { userId: null, tokenId: null, label: `alert-source:${source.slug}` }, role: 'editor' as const };
    const outcome = receiveAlerts(db, authority, { source: { id: source.id, slug: source.slug, name: source.name, rules: JSON.parse(source.rules) as AlertRule[] }, alerts }, now);
    return new Response(JSON.stringify({ received: alerts.length, drafts_opened: outcome.opened, incidents_noted: [...new Set(outcome.noted)], ignored: outcome.ignored }), {
      status: 202,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store' },
    });
  } catch (error) {
    return errorResponseFor(error);
  }
}
