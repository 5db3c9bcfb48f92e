// Alert webhooks from monitoring, each in its sender's own shape, read into one: which alert
// (a stable key), firing or cleared, since when, and its labels. Prometheus Alertmanager
// (webhook version 4), Grafana alerting (the same alert objects plus its own envelope), Uptime
// Kuma (a heartbeat per monitor) and a generic JSON shape for anything else.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Invalid } from '../errors.ts';

export const ALERT_SOURCE_KINDS = ['alertmanager', 'grafana', 'uptime_kuma', 'generic'] as const;
export type AlertSourceKind = (typeof ALERT_SOURCE_KINDS)[number];

export interface ReceivedAlert {
  /** Stable across the alert's firing and clearing (its fingerprint). */
  key: string;
  firing: boolean;
  title: string;
  /** A sentence for the draft's first message; may be empty. */
  summary: string;
  labels: Record<string, string>;
  startsAt: number;
  /** When it cleared; null while firing. */
  endsAt: number | null;
}

const labels = z.record(z.string(), z.unknown()).nullish().transform((l) => Object.fromEntries(Object.entries(l ?? {}).map(([k, v]) => [k, String(v)])));

/** Alertmanager's and Grafana's alert object. */
const promAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels,
  startsAt: z.string(),
  endsAt: z.string().nullish(),
  fingerprint: z.string().nullish(),
});

const promPayload = z.object({ alerts: z.array(promAlert), title: z.string().nullish() });

const kumaPayload = z.object({
  heartbeat: z.object({ status: z.number(), time: z.string(), msg: z.string().nullish() }).nullish(),
  monitor: z.object({ id: z.union([z.number(), z.string()]), name: z.string(), url: z.string().nullish() }).nullish(),
  msg: z.string().nullish(),
});

const genericAlert = z.object({
  key: z.string().min(1).max(200),
  status: z.enum(['firing', 'resolved']),
  title: z.string().min(1).max(200),
  message: z.string().max(2000).nullish(),
  labels,
  started_at: z.string().nullish(),
  ended_at: z.string().nullish(),
});
const genericPayload = z.union([z.object({ alerts: z.array(genericAlert) }), genericAlert]);

function parsed<S extends z.ZodType>(schema: S, body: unknown, kind: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.length ? issue.path.join('.') : 'body';
  throw new Invalid({ [at]: `This is not a ${kind} alert payload: ${issue.message}.` });
}

/** A time the sender wrote; refused when unreadable, now when absent. */
function instantOf(text: string | null | undefined, fallback: number, field: string): number {
  if (!text) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Invalid({ [field]: `"${text}" is not a time.` });
  return ms;
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const sortedLabels = (l: Record<string, string>) => Object.fromEntries(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));

function fromProm(body: unknown, kind: 'alertmanager' | 'grafana', now: number): ReceivedAlert[] {
  const payload = parsed(promPayload, body, kind === 'alertmanager' ? 'Alertmanager' : 'Grafana');
  return payload.alerts.map((a, i) => {
    const firing = a.status === 'firing';
    const title = a.annotations.summary ?? a.labels.alertname ?? payload.title ?? 'Alert';
    return {
      key: a.fingerprint ?? hashOf(sortedLabels(a.labels)),
      firing,
      title: title.slice(0, 200),
      summary: (a.annotations.description ?? a.annotations.summary ?? '').slice(0, 2000),
      labels: a.labels,
      startsAt: Math.min(instantOf(a.startsAt, now, `alerts.${i}.startsAt`), now),
      // A firing alert's endsAt is a placeholder (or when it would expire): only a cleared one ends.
      endsAt: firing ? null : Math.min(instantOf(a.endsAt, now, `alerts.${i}.endsAt`), now),
    };
  });
}

/** Uptime Kuma writes heartbeat times as "2026-12-03 07:45:01.123" in UTC. */
function kumaTime(text: string, now: number): number {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  return Math.min(instantOf(iso, now, 'heartbeat.time'), now);
}

function fromKuma(body: unknown, now: number): ReceivedAlert[] {
  const payload = parsed(kumaPayload, body, 'Uptime Kuma');
  // Its "Test" button sends no heartbeat and no monitor: nothing to record.
  if (!payload.heartbeat || !payload.monitor) return [];
  const { heartbeat, monitor } = payload;
  // 0 = down, 1 = up; pending (2) and maintenance (3) neither open nor clear anything.
  if (heartbeat.status !== 0 && heartbeat.status !== 1) return [];
  const at = kumaTime(heartbeat.time, now);
  const firing = heartbeat.status === 0;
  return [
    {
      key: `monitor-${monitor.id}`,
      firing,
      title: `${monitor.name} is down`.slice(0, 200),
      summary: (heartbeat.msg ?? '').slice(0, 2000),
      labels: { monitor: monitor.name, ...(monitor.url ? { url: monitor.url } : {}) },
      startsAt: at,
      endsAt: firing ? null : at,
    },
  ];
}

function fromGeneric(body: unknown, now: number): ReceivedAlert[] {
  const payload = parsed(genericPayload, body, 'generic');
  const list = 'alerts' in payload ? payload.alerts : [payload];
  return list.map((a) => {
    const firing = a.status === 'firing';
    return {
      key: a.key,
      firing,
      title: a.title,
      summary: a.message ?? '',
      labels: a.labels,
      startsAt: Math.min(instantOf(a.started_at, now, 'started_at'), now),
      endsAt: firing ? null : Math.min(instantOf(a.ended_at, now, 'ended_at'), now),
    };
  });
}

export function parseAlerts(kind: AlertSourceKind, body: unknown, now: number): ReceivedAlert[] {
  switch (kind) {
    case 'alertmanager':
    case 'grafana':
      return fromProm(body, kind, now);
    case 'uptime_kuma':
      return fromKuma(body, now);
    case 'generic':
      return fromGeneric(body, now);
  }
}

/** A draft's impact from the alert's severity label; unknown severities are major. */
export function impactOfSeverity(severity: string | undefined): 'critical' | 'major' | 'minor' {
  const s = (severity ?? '').toLowerCase();
  if (s === 'critical' || s === 'page' || s === 'p1') return 'critical';
  if (['warning', 'warn', 'minor', 'low', 'info', 'p3', 'p4'].includes(s)) return 'minor';
  return 'major';
}
