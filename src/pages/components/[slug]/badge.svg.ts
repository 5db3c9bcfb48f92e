import type { APIRoute } from 'astro';
import { getComponentBadge, renderUnknownBadge } from '../../../server/badge.ts';
import { getDb } from '../../../server/db.ts';
import { NotFound } from '../../../server/errors.ts';
import { respond } from '../../../server/http/respond.ts';
import { componentScope, dependsOn } from '../../../server/http/page-scopes.ts';

export const GET: APIRoute = ({ params, locals }) => {
  dependsOn(locals, [componentScope(params.slug ?? '')]);
  try {
    return respond(getComponentBadge(getDb(), params.slug ?? '', Date.now()), 'svg');
  } catch (error) {
    // An <img> cannot show an HTML error page; a readable badge says what went wrong.
    if (error instanceof NotFound) return respond(renderUnknownBadge(), 'svg', 404);
    throw error;
  }
};
