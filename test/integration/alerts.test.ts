// Alert webhooks over HTTP: per-source tokens, a draft nobody outside sees, one-click publication
// through the admin API, and the incident page's time from detection to the first public update.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { createApiToken } from '../../src/server/commands/api-tokens.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { decodeEntities } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';

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
  const db = openDatabase(server.databasePath, path.resolve('db/migrations'));
  adminToken = createApiToken(db, SYSTEM_OWNER, { name: 'Ops', scopes: ['config:write', 'incidents:write'] }, Date.now()).token;
  db.$client.close();
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
