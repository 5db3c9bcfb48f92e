import type { APIRoute } from 'astro';
import { getDb } from '../../server/db.ts';
import { NotFound } from '../../server/errors.ts';
import { getComponentRss } from '../../server/feeds/history-feeds.ts';
import { respond } from '../../server/http/respond.ts';
import { componentScope, dependsOn } from '../../server/http/page-scopes.ts';

export const GET: APIRoute = ({ params, rewrite, locals }) => {
  dependsOn(locals, [componentScope(params.slug ?? '')]);
  try {
    return respond(getComponentRss(getDb(), params.slug ?? '', Date.now()), 'rss');
  } catch (error) {
    if (error instanceof NotFound) return rewrite('/404');
    throw error;
  }
};
