import type { APIRoute } from 'astro';
import { checkHealth } from '../server/health.ts';

// Never cached: a load balancer must see the state of this very moment.
export const GET: APIRoute = () => {
  const { httpStatus, body } = checkHealth();
  return new Response(JSON.stringify(body), {
    status: httpStatus,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
};
