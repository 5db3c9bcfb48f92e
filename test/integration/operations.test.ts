// What an operator configures and watches: CANDOR_PUBLIC_URL in feeds and the API before (and
// after) any Settings change, no demo data in production, JSON log lines per request and per write
// without personal data, and /metrics scraped the way Prometheus reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';
import { adminClient } from '../support/admin-client.ts';
import { parseExposition, total, type Exposition } from '../support/prometheus-text.ts';
import { createStaff, signIn } from '../support/staff.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const PUBLIC_URL = 'https://status.example.test';
const EMAIL = 'ops-owner@example.com';
const PASSWORD = 'correct horse battery staple 14';

async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

/** Log lines are written asynchronously: wait for the one expected rather than racing it. */
async function untilLogged(server: RunningServer, matches: (line: Record<string, unknown>) => boolean): Promise<void> {
  const deadline = Date.now() + 60_000; // a condition, with a deadline only a loaded machine nears
  while (!logLines(server).some(matches)) {
    if (Date.now() > deadline) throw new Error(`no such log line in:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function logLines(server: RunningServer): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a development start with CANDOR_PUBLIC_URL and CANDOR_METRICS=true', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ CANDOR_PUBLIC_URL: `${PUBLIC_URL}/`, CANDOR_METRICS: 'true' });
  });
  afterAll(() => server?.stop());

  it('links feeds and the API to the public URL before any Settings change', async () => {
    const summary = (await (await fetch(`${server.url}/api/v2/summary.json`)).json()) as { page: { url: string }; incidents: { shortlink: string }[] };
    expect(summary.page.url).toBe(PUBLIC_URL);
    const rss = await (await fetch(`${server.url}/history.rss`)).text();
    expect(rss).toContain(`<link>${PUBLIC_URL}/incidents/`);
    expect(rss).not.toContain('localhost:4321');
  });

  it('keeps the public URL over a Settings change, and the workspace says so', async () => {
    await createStaff(server.databasePath, { email: EMAIL, password: PASSWORD, role: 'owner', name: 'Ops Owner' });
    const admin = adminClient(server.url, await signIn(server.url, EMAIL, PASSWORD));
    const page = await (await admin.get('/admin/settings')).text();
    expect(page).toContain(`CANDOR_PUBLIC_URL=${PUBLIC_URL}`);
    const saved = await admin.post('/admin/settings', {
      name: 'Ops Test Status',
      url: 'https://elsewhere.example.test',
      timeZone: 'UTC',
      accentColor: '#2f5fd0',
      historyDays: '90',
      defaultSlaPolicy: '',
    });
    expect(saved.status).toBe(303);
    const status = (await (await fetch(`${server.url}/api/v2/status.json`)).json()) as { page: { url: string; name: string } };
    expect(status.page).toMatchObject({ name: 'Ops Test Status', url: PUBLIC_URL });
  });

  it('logs one JSON line per request and per write, without addresses, emails, cookies or passwords', async () => {
    await fetch(`${server.url}/history?page=2&email=${encodeURIComponent(EMAIL)}`);
    await untilLogged(server, (l) => l.path === '/history');
    const lines = logLines(server);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/history', route: 'page', status: 200 }));
    expect(requests).toContainEqual(expect.objectContaining({ method: 'POST', path: '/admin/settings', route: 'private', status: 303 }));
    const writes = lines.filter((l) => l.msg === 'write');
    expect(writes).toContainEqual(expect.objectContaining({ actions: ['site.update'], actor: 'user', ok: true }));
    for (const line of lines) expect(typeof line.time).toBe('string');
    const text = server.output();
    for (const secret of [EMAIL, encodeURIComponent(EMAIL), PASSWORD, 'candor_session', 'Ops Owner', '127.0.0.1:' + new URL(server.url).port + '"']) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('serves /metrics in the Prometheus text format with requests, cache, render and write figures', async () => {
    await fetch(`${server.url}/`);
    await fetch(`${server.url}/`);
    const scraped = await scrape(`${server.url}/metrics`);
    expect(scraped.types.get('candor_http_requests_total')).toBe('counter');
    expect(scraped.types.get('candor_render_duration_seconds')).toBe('histogram');
    expect(total(scraped, 'candor_http_requests_total', { route: 'page', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(total(scraped, 'candor_http_requests_total', { route: 'private', status: '303' })).toBeGreaterThanOrEqual(1);
    expect(total(scraped, 'candor_http_request_duration_seconds_count', { route: 'page' })).toBeGreaterThanOrEqual(2);
    const lookups = total(scraped, 'candor_cache_lookups_total');
    const renders = total(scraped, 'candor_cache_renders_total');
    expect(renders).toBeGreaterThanOrEqual(1);
    expect(lookups).toBeGreaterThan(renders); // the second read of / was a hit
    expect(total(scraped, 'candor_render_duration_seconds_count')).toBe(renders);
    expect(total(scraped, 'candor_writes_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(total(scraped, 'candor_db_write_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(total(scraped, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('cache-control')).toBe('no-store');
  });
});

describe('a production start on an empty database', () => {
  let server: RunningServer;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    server = await startServer({ NODE_ENV: 'production', CANDOR_METRICS_PORT: String(metricsPort) });
  });
  afterAll(() => server?.stop());

  it('publishes no demo data', async () => {
    const summary = (await (await fetch(`${server.url}/api/v2/summary.json`)).json()) as { components: unknown[]; incidents: unknown[]; scheduled_maintenances: unknown[] };
    expect(summary).toMatchObject({ components: [], incidents: [], scheduled_maintenances: [] });
    const incidents = (await (await fetch(`${server.url}/api/v2/incidents.json`)).json()) as { incidents: unknown[] };
    expect(incidents.incidents).toEqual([]);
  });

  it('serves metrics on their own port only', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const scraped = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(total(scraped, 'candor_http_requests_total')).toBeGreaterThanOrEqual(1);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
  });
});
