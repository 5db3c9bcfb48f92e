// What an operator sees of a running Candor: one JSON line per request and per write (pino), and
// Prometheus metrics (prom-client) when they are turned on. Nothing personal is logged: no client
// address, no query string, no headers, no cookies, no request or response bodies, no names or
// emails (writes are logged by action and public id).
import type Database from 'better-sqlite3';
import type http from 'node:http';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../../config.ts';
import { routeClassOf } from '../http/cache-policy.ts';
import { installObserver, type Observer, type WriteReport } from './observer.ts';

export interface Telemetry {
  log: Logger;
  /** Counts and times the renders of the response cache (wrap its render function). */
  timeRender<T>(render: () => Promise<T>): Promise<T>;
  /** Counts a lookup in the response cache. */
  cacheLookup(): void;
  /** Logs and counts every request the server answers. */
  observe(server: http.Server): void;
  /** Outbox gauges, read from this (read-only) connection at each scrape. */
  watchOutbox(sqlite: Database.Database): void;
  registry: Registry | null;
  metrics: Observer['metrics'];
  /** Writes out the log lines still buffered. */
  flush(): Promise<void>;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createTelemetry(config: Pick<Config, 'logLevel' | 'metrics'>, destination = pino.destination({ dest: 1, sync: false })): Telemetry {
  const log = pino({ level: config.logLevel, base: { service: 'candor' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const metricsOn = config.metrics.onSitePort || config.metrics.port !== null;
  const registry = metricsOn ? new Registry() : null;
  const m = registry ? defineMetrics(registry) : null;
  if (registry) collectDefaultMetrics({ register: registry });

  const observer: Observer = {
    write(report: WriteReport) {
      m?.writes.inc({ outcome: report.ok ? 'ok' : 'refused' });
      m?.writeSeconds.observe({ outcome: report.ok ? 'ok' : 'refused' }, report.ms / 1000);
      const line = { actions: report.actions, entities: report.entities, actor: report.actor, ok: report.ok, error: report.error, ms: round(report.ms) };
      if (report.ok) log.info(line, 'write');
      else log.warn(line, 'write refused');
    },
    metrics: () => (registry ? registry.metrics().then((body) => ({ contentType: registry.contentType, body })) : null),
  };
  installObserver(observer);

  return {
    log,
    registry,
    metrics: observer.metrics,
    async timeRender(render) {
      const started = performance.now();
      try {
        return await render();
      } finally {
        m?.renders.inc();
        m?.renderSeconds.observe((performance.now() - started) / 1000);
      }
    },
    cacheLookup() {
      m?.cacheLookups.inc();
    },
    observe(server) {
      server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
        const started = performance.now();
        res.once('close', () => {
          const url = req.url ?? '/';
          const path = url.split('?', 1)[0]!;
          const route = routeClassOf(path);
          const ms = performance.now() - started;
          const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
          m?.requests.inc({ route, status });
          m?.requestSeconds.observe({ route }, ms / 1000);
          log.info({ method: req.method, path: path.length > 200 ? `${path.slice(0, 200)}…` : path, route, status, ms: round(ms) }, 'request');
        });
      });
    },
    watchOutbox(sqlite) {
      if (registry) defineOutboxGauges(registry, sqlite);
    },
    flush: () => new Promise((resolve) => log.flush(() => resolve())),
  };
}

/** The outbox (notifications, purges) as the delivery worker leaves it: depth and failures. */
function defineOutboxGauges(registry: Registry, sqlite: Database.Database): void {
  const registers = [registry];
  const pending = sqlite.prepare(`select kind, count(*) as n from deliveries where status = 'pending' group by kind`);
  const failed = sqlite.prepare(`select kind, count(*) as n from deliveries where status = 'failed' group by kind`);
  const failedAttempts = sqlite.prepare(`select count(*) from delivery_attempts where ok = 0`).pluck();
  const byKind = (gauge: Gauge<'kind'>, query: Database.Statement) => {
    gauge.reset();
    for (const row of query.all() as { kind: string; n: number }[]) gauge.set({ kind: row.kind }, row.n);
  };
  new Gauge({
    name: 'candor_outbox_pending',
    help: 'Deliveries waiting in the outbox (subscriber notifications, CDN purges), by kind',
    labelNames: ['kind'],
    registers,
    collect() {
      byKind(this, pending);
    },
  });
  new Gauge({
    name: 'candor_outbox_failed',
    help: 'Deliveries given up after 24 hours of retries (or refused for good), by kind',
    labelNames: ['kind'],
    registers,
    collect() {
      byKind(this, failed);
    },
  });
  new Gauge({
    name: 'candor_outbox_failed_attempts',
    help: 'Delivery attempts that failed, since the database began (it only grows; use rate())',
    registers,
    collect() {
      this.set(Number(failedAttempts.get() ?? 0));
    },
  });
}

function defineMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({ name: 'candor_http_requests_total', help: 'HTTP requests answered, by route class and status', labelNames: ['route', 'status'], registers }),
    requestSeconds: new Histogram({ name: 'candor_http_request_duration_seconds', help: 'Time to answer a request, by route class', labelNames: ['route'], buckets: SECONDS, registers }),
    cacheLookups: new Counter({ name: 'candor_cache_lookups_total', help: 'Public requests looked up in the rendered-bytes cache (hits = lookups - renders)', registers }),
    renders: new Counter({ name: 'candor_cache_renders_total', help: 'Public responses rendered for the cache (misses, writes and clock ticks)', registers }),
    renderSeconds: new Histogram({ name: 'candor_render_duration_seconds', help: 'Time to render a public response', buckets: SECONDS, registers }),
    writes: new Counter({ name: 'candor_writes_total', help: 'Commands run against the database, by outcome', labelNames: ['outcome'], registers }),
    writeSeconds: new Histogram({ name: 'candor_db_write_duration_seconds', help: 'Time of a command transaction, by outcome', labelNames: ['outcome'], buckets: SECONDS, registers }),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
