// Candor's own read API (incident timeline JSON, monthly uptime JSON), the status badges and the
// health check, over HTTP against the built server.
import os from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;
let failoverId: string;
let ongoingId: string;

beforeAll(async () => {
  server = await startServer();
  const db = new Database(server.databasePath, { readonly: true });
  failoverId = (db.prepare("select public_id from incidents where title like 'Email delivery outage%'").get() as { public_id: string }).public_id;
  ongoingId = (db.prepare("select public_id from incidents where status <> 'resolved'").get() as { public_id: string }).public_id;
  db.close();
});
afterAll(() => server?.stop());

const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);
const json = async (path: string) => {
  const res = await get(path);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('/api/incidents/<id>.json', () => {
  it('gives the failover incident its timeline and both durations, labelled', async () => {
    const { status, body } = await json(`/api/incidents/${failoverId}.json`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: failoverId, status: 'resolved', impact: 'critical', as_of: null, recorded_impact: true });
    expect(body.url).toBe(`http://localhost:4321/incidents/${failoverId}`);
    expect(Object.keys(body.timeline)).toEqual(['started_at', 'first_update_at', 'mitigated_at', 'impact_ended_at', 'monitoring_at', 'resolved_at', 'detected_at']);
    expect(body.durations.failover).toMatchObject({ ms: 3 * 3_600_000, formatted: '3 h', formatted_long: '3 hours', ongoing: false });
    expect(body.durations.customer_impact).toMatchObject({ ms: 54 * 3_600_000, formatted: '2 d 6 h', ongoing: false });
    expect(body.durations.impact_after_failover).toMatchObject({ ms: 51 * 3_600_000, formatted_long: '2 days 3 hours' });
    expect(body.durations.time_to_first_update).toEqual({ ms: 47 * 60_000, formatted: '47 min', formatted_long: '47 minutes' });
    for (const d of ['failover', 'customer_impact', 'impact_after_failover']) expect(body.durations[d].measures).toMatch(/^From|^How long/);
  });

  it('lists updates with their kind, corrections and the post-mortem', async () => {
    const { body } = await json(`/api/incidents/${failoverId}.json`);
    const kinds = body.updates.map((u: { kind: string }) => u.kind);
    expect(kinds).toContain('apology');
    expect(kinds).toContain('correction');
    expect(body.updates[0].status).toBe('resolved');
    expect(body.updates.at(-1).component_changes).toEqual(
      expect.arrayContaining([{ component_id: expect.any(String), name: 'SMTP relay', old_status: 'operational', new_status: 'major_outage' }]),
    );
    expect(body.corrections).toEqual([{ reason: expect.stringContaining('Post-mortem review'), corrected_at: expect.any(String) }]);
    expect(body.postmortem.body_markdown).toMatch(/^## Summary/);
    expect(body.postmortem.body_html).toContain('<h3>Summary</h3>');
    expect(body.components.map((c: { slug: string }) => c.slug).sort()).toEqual(['inbound-email', 'send-api', 'smtp-relay']);
  });

  it('marks the durations of an open incident as ongoing, as of now', async () => {
    const { body } = await json(`/api/incidents/${ongoingId}.json`);
    expect(body.durations.customer_impact.ongoing).toBe(true);
    expect(Math.abs(Date.parse(body.as_of) - Date.now())).toBeLessThan(60_000);
    expect(body.timeline.resolved_at).toBeNull();
    expect(body.postmortem).toBeNull();
  });

  it('answers 404 in JSON for an unknown incident', async () => {
    const { status, body } = await json('/api/incidents/zzzzzzzzzzzz.json');
    expect(status).toBe(404);
    expect(body.error).toEqual({ status: 404, message: 'No incident zzzzzzzzzzzz' });
  });
});

describe('/api/uptime.json', () => {
  it('reports each component for the month, with target, credit and response compliance', async () => {
    const current = await json('/api/uptime.json');
    expect(current.status).toBe(200);
    expect(current.body.month.in_progress).toBe(true);
    const { body } = await json(`/api/uptime.json?month=${current.body.previous_month}`);
    expect(body.month).toMatchObject({ key: current.body.previous_month, in_progress: false });
    expect(body.next_month).toBe(current.body.month.key);
    expect(body.formula).toMatch(/^availability = 1 − weighted downtime ÷ counted time/);
    expect(body.components.map((c: { slug: string }) => c.slug)).toEqual(['send-api', 'smtp-relay', 'inbound-email', 'webhooks', 'admin-console', 'statistics']);
    for (const c of body.components) {
      expect(Object.keys(c)).toEqual([
        'slug', 'name', 'group', 'sla_policy', 'availability', 'target', 'met', 'counted_ms', 'downtime_ms',
        'allowed_downtime_ms', 'error_budget_used', 'credit',
      ]);
      if (c.availability !== null) {
        expect(c.availability).toBeGreaterThanOrEqual(0);
        expect(c.availability).toBeLessThanOrEqual(1);
        expect(c.met).toBe(c.target === null ? null : c.availability >= c.target);
      }
    }
    expect(body.response_compliance).toMatchObject({ goal: 0.98, counted: expect.any(Number), within: expect.any(Number) });
    expect(body.response_compliance.by_impact.map((b: { impact: string }) => b.impact)).toEqual(['critical', 'major', 'minor']);
    expect(body.policies.length).toBeGreaterThan(0);
  });

  it('names the failover month: SMTP relay missed its target and earned a credit', async () => {
    const failover = (await json(`/api/incidents/${failoverId}.json`)).body;
    const months = (await json('/api/uptime.json')).body;
    // Find the month key of the failover start among the months offered.
    const start = Date.parse(failover.timeline.started_at);
    let key: string | null = months.month.key;
    let report = months;
    while (key && !(Date.parse(report.month.start) <= start && start < Date.parse(report.month.end))) {
      key = report.previous_month;
      report = (await json(`/api/uptime.json?month=${key}`)).body;
    }
    const relay = report.components.find((c: { slug: string }) => c.slug === 'smtp-relay');
    expect(relay.met).toBe(false);
    expect(relay.downtime_ms).toBeGreaterThan(0);
    expect(relay.credit).toMatchObject({ credit_percent: expect.any(Number) });
    expect(relay.error_budget_used).toBeGreaterThan(1);
    expect(report.response_compliance.incidents.map((i: { id: string }) => i.id)).toContain(failoverId);
  });

  it('refuses a malformed month with a message for the field', async () => {
    const { status, body } = await json('/api/uptime.json?month=2026-13');
    expect(status).toBe(400);
    expect(body.error.fields.month).toMatch(/YYYY-MM/);
  });
});

describe('status badges', () => {
  it('shows the overall status as text in an SVG', async () => {
    const res = await get('/badge.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('aria-label="Postwise: Partially Degraded Service"');
    expect(svg).toContain('>Partially Degraded Service</text>');
  });

  it("shows one component's status, and a readable 404 badge for an unknown one", async () => {
    expect(await (await get('/components/webhooks/badge.svg')).text()).toContain('aria-label="Webhooks: Degraded performance"');
    expect(await (await get('/components/send-api/badge.svg')).text()).toContain('aria-label="Send API: Operational"');
    const missing = await get('/components/nope/badge.svg');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await missing.text()).toContain('unknown component');
  });
});

describe('component page', () => {
  it("advertises the component's own RSS feed beside the site feeds", async () => {
    const html = await (await get('/components/statistics')).text();
    expect(html).toContain('<link rel="alternate" type="application/rss+xml" title="Postwise Status - Statistics Incident History (RSS)" href="/components/statistics.rss">');
    expect(html).toContain('href="/history.atom"');
  });
});

describe('/healthz', () => {
  it('answers ok when the database answers', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', reasons: [] });
    expect((await get('/healthz', { method: 'HEAD' })).status).toBe(200);
  });

  it('refuses to start, in one plain line, when the database cannot be opened', async () => {
    // A directory is not a database file. The server checks the database before it listens, so a
    // supervisor restarts it and a load balancer never routes to a process that cannot answer.
    const started = startServer({ CANDOR_DB: os.tmpdir() });
    const error = await started.then(
      (s) => s.stop().then(() => null),
      (e: unknown) => String(e),
    );
    expect(error).toContain(`Candor cannot start: `);
    expect(error).not.toMatch(/\n\s+at /); // no stack trace
  });
});
