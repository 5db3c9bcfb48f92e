// For load balancers: the process answers and the database file is reachable.
import { getDb } from './db.ts';

export interface Health {
  httpStatus: 200 | 503;
  body: { status: 'ok' | 'error'; database: 'ok' | 'unreachable' };
}

export function checkHealth(): Health {
  try {
    getDb().$client.prepare('select 1').get();
    return { httpStatus: 200, body: { status: 'ok', database: 'ok' } };
  } catch {
    return { httpStatus: 503, body: { status: 'error', database: 'unreachable' } };
  }
}
