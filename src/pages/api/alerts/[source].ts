// POST /api/alerts/<source> — alert webhooks from monitoring (Alertmanager, Grafana, Uptime Kuma, generic JSON).
import { receiveAlertRoute } from '../../../server/alerts/alert-endpoint.ts';
import { methodNotAllowed } from '../../../server/write-api/endpoint.ts';

export const POST = receiveAlertRoute;
export const ALL = methodNotAllowed(['POST']);
