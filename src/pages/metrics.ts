// GET /metrics: Prometheus metrics on the site's own port when CANDOR_METRICS=true (otherwise 404).
// CANDOR_METRICS_PORT serves them on a port of their own instead (scripts/serve.ts).
import type { APIRoute } from 'astro';
import { getConfig } from '../config.ts';
import { currentObserver } from '../server/ops/observer.ts';

export const GET: APIRoute = async () => {
  const exposed = getConfig().metrics.onSitePort ? currentObserver()?.metrics() : null;
  if (!exposed) return new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const { contentType, body } = await exposed;
  return new Response(body, { status: 200, headers: { 'Content-Type': contentType } });
};
