// Alert webhooks over HTTP: per-source tokens, a draft nobody outside sees, one-click publication
// through the admin API, and the incident page's time from detection to the first public update.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatZonedLocal } from '../../src/domain/time-zone.ts';
import { adminClient, decodeEntities, fieldError } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken } from '../support/server-db.ts';
import { createStaff, signIn } from '../support/staff.ts';

let server: RunningServer;
let adminToken: string;
let sourceToken: string;
const fixture = (name: string) => fs.readFileSync(path.resolve('test/fixtures/alerts', name), 'utf8');

async function call(method: string, route: string, token: string, body?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + route, { method, headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  server = await startServer();
  adminToken = createToken(server.databasePath, 'Ops', ['config:write', 'incidents:write']).token;
  const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; name: string }[] };
  const console = components.components.find((c) => c.name === 'Admin console')!.id;
  const res = await call('POST', '/api/admin/alert-sources', adminToken, JSON.stringify({ name: 'Uptime Kuma', slug: 'kuma', kind: 'uptime_kuma', rules: [{ label: 'monitor', value: 'Admin console', component_id: console, level: 'major_outage' }] }));
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  sourceToken = res.json.token;
});
afterAll(() => server?.stop());

describe('alert webhooks', () => {
  let draftId: string;

  it('refuses a wrong token or source alike, and another sender’s shape', async () => {
    expect((await call('POST', '/api/alerts/kuma', adminToken, fixture('uptime-kuma-down.json'))).status).toBe(401);
    expect((await call('POST', '/api/alerts/nope', sourceToken, fixture('uptime-kuma-down.json'))).status).toBe(401);
    const wrongShape = await call('POST', '/api/alerts/kuma', sourceToken, '{"heartbeat": {"status": "down"}}');
    expect(wrongShape.status).toBe(422);
  });

  it('opens a draft that the public site and API do not show', async () => {
    const res = await call('POST', '/api/alerts/kuma', sourceToken, fixture('uptime-kuma-down.json'));
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.json.drafts_opened).toHaveLength(1);
    draftId = res.json.drafts_opened[0];
    expect((await fetch(`${server.url}/incidents/${draftId}`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/incidents/${draftId}.json`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/api/v2/incidents.json`)).text()).not.toContain(draftId);
    expect(await (await fetch(`${server.url}/history.rss`)).text()).not.toContain(draftId);
    const drafts = await call('GET', '/api/admin/incidents/drafts', adminToken);
    expect(drafts.json.drafts.map((d: { incident: { id: string } }) => d.incident.id)).toEqual([draftId]);
    expect(drafts.json.drafts[0].proposed_components[0]).toMatchObject({ level: 'major_outage', from: '2026-12-03T05:01:12.418Z' });
  });

  it('publishes it with one call; the page shows time from detection to the first public update', async () => {
    const res = await call('POST', `/api/admin/incidents/${draftId}/publish`, adminToken, '{}');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.incident.timeline.detected_at).toBe('2026-12-03T05:01:12.418Z');
    expect(res.json.incident.durations.detection_to_first_update.ms).toBeGreaterThan(0);
    const html = decodeEntities(await (await fetch(`${server.url}/incidents/${draftId}`)).text());
    expect(html).toContain('Detected by monitoring');
    expect(html).toMatch(/first public update [^<]+ after detection/);
    expect((await call('POST', `/api/admin/incidents/${draftId}/publish`, adminToken, '{}')).status).toBe(409);
  });
});

describe('drafts in the workspace', () => {
  it('lists a draft, publishes it with one click, and takes a back-dated update on the form', async () => {
    const created = await call('POST', '/api/admin/alert-sources', adminToken, JSON.stringify({ name: 'Scripts', slug: 'scripts', kind: 'generic' }));
    const res = await call('POST', '/api/alerts/scripts', created.json.token, JSON.stringify({ key: 'queue-depth', status: 'firing', title: 'Outbound queue growing' }));
    const id = res.json.drafts_opened[0];
    await createStaff(server.databasePath, { email: 'editor@example.test', password: 'lantern orchard pebble', role: 'editor' });
    const editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', 'lantern orchard pebble'));
    const list = decodeEntities(await (await editor.get('/admin/incidents')).text());
    expect(list).toContain('Drafts from monitoring (1) — not public');
    expect(list).toContain('Outbound queue growing');
    const screen = decodeEntities(await (await editor.get(`/admin/incidents/${id}`)).text());
    expect(screen).toContain('Draft from monitoring — not public.');
    expect(screen).toContain('Opened as a draft from Scripts: Outbound queue growing.');

    const published = await editor.post(`/admin/incidents/${id}/publish`, { intent: 'publish' });
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe(`/admin/incidents/${id}?done=published`);
    expect((await fetch(`${server.url}/incidents/${id}`)).status).toBe(200);

    const site = (await (await fetch(`${server.url}/api/v2/summary.json`)).json()) as { page: { time_zone: string } };
    const future = await editor.post(`/admin/incidents/${id}`, { intent: 'post', status: 'identified', message: 'Found it.', displayAt: formatZonedLocal(Date.now() + 5 * 3_600_000, site.page.time_zone) });
    expect(future.status).toBe(422);
    expect(fieldError(decodeEntities(await future.text()), 'displayAt')).toMatch(/future/);
  });
});

describe('alert sources through the API', () => {
  it('replaces the rules (errors named as sent) and rotates the token, shown once', async () => {
    const created = await call('POST', '/api/admin/alert-sources', adminToken, JSON.stringify({ name: 'Grafana', slug: 'grafana', kind: 'grafana' }));
    const id = created.json.alert_source.id;
    const oldToken = created.json.token;
    const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; name: string }[] };
    const relay = components.components.find((c) => c.name === 'SMTP relay')!.id;

    const bad = await call('PATCH', `/api/admin/alert-sources/${id}`, adminToken, JSON.stringify({ rules: [{ label: 'service', value: '', component_id: relay, level: 'major_outage' }] }));
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields)).toEqual(['rules.0.value']);
    const unknown = await call('PATCH', `/api/admin/alert-sources/${id}`, adminToken, JSON.stringify({ rules: [{ label: 'service', value: 'smtp', component_id: 'nope', level: 'major_outage' }] }));
    expect(unknown.status).toBe(422);
    const ok = await call('PATCH', `/api/admin/alert-sources/${id}`, adminToken, JSON.stringify({ rules: [{ label: 'service', value: 'smtp', component_id: relay, level: 'partial_outage' }] }));
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.alert_source.rules).toEqual([{ label: 'service', value: 'smtp', component_id: relay, level: 'partial_outage' }]);
    expect((await call('GET', `/api/admin/alert-sources/${id}`, adminToken)).json.alert_source.rules).toHaveLength(1);

    const rotated = await call('POST', `/api/admin/alert-sources/${id}/token`, adminToken, '{}');
    expect(rotated.status).toBe(200);
    expect(rotated.json.token).toMatch(/^candor_/);
    expect((await call('POST', '/api/alerts/grafana', oldToken, fixture('grafana-firing.json'))).status).toBe(401);
    expect((await call('POST', '/api/alerts/grafana', rotated.json.token, fixture('grafana-firing.json'))).status).toBe(202);
    expect((await call('POST', '/api/admin/alert-sources/nope/token', adminToken, '{}')).status).toBe(404);
  });

  it('turns automatic levels on and off per component (owners: config:write)', async () => {
    const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; name: string }[] };
    const relay = components.components.find((c) => c.name === 'SMTP relay')!.id;
    const on = await call('PUT', `/api/admin/components/${relay}/alert-levels`, adminToken, JSON.stringify({ enabled: true }));
    expect(on.status, JSON.stringify(on.json)).toBe(200);
    expect(on.json).toEqual({ component_id: relay, alert_levels: true });
    const bad = await call('PUT', `/api/admin/components/${relay}/alert-levels`, adminToken, JSON.stringify({ enabled: 'yes' }));
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields)).toEqual(['enabled']);
    expect((await call('PUT', `/api/admin/components/nope/alert-levels`, adminToken, JSON.stringify({ enabled: true }))).status).toBe(404);
    expect((await call('PUT', `/api/admin/components/${relay}/alert-levels`, adminToken, JSON.stringify({ enabled: false }))).json.alert_levels).toBe(false);
  });
});
