import type { APIRoute } from 'astro';
import { getComponentBadge, renderUnknownBadge } from '../../../server/badge.ts';
import { getDb } from '../../../server/db.ts';
import { NotFound } from '../../../server/errors.ts';
import { respond } from '../../../server/http/respond.ts';

export const GET: APIRoute = ({ params }) => {
  try {
    return respond(getComponentBadge(getDb(), params.slug ?? '', Date.now()), 'svg');
  } catch (error) {
    // An <img> cannot show an HTML error page; a readable badge says what went wrong.
    if (error instanceof NotFound) return respond(renderUnknownBadge(), 'svg', 404);
    throw error;
  }
};
