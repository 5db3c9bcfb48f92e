// Provisioning a site by script through the config endpoints (scope config:write), then the
// managed-service provider's case on /uptime: 5% of the fee back when fewer than 98% of a
// month's incidents got their first public update in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/server/api-tokens.ts';
import { decodeEntities } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken } from '../support/server-db.ts';

const HOUR = 3_600_000;
let server: RunningServer;
let configToken: string;
let incidentsToken: string;

const makeToken = (name: string, scopes: Scope[]) => createToken(server.databasePath, name, scopes).token;

async function call(method: string, route: string, body?: unknown, token = configToken) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  server = await startServer({ CANDOR_DEMO: 'false' });
  configToken = makeToken('Provisioning', ['config:write']);
  incidentsToken = makeToken('Pager', ['incidents:write']);
});
afterAll(() => server?.stop());

describe('config API', () => {
  let policy: string;
  let group: string;
  let servers: string;

  it('creates a policy with response-time credits and class names, in percent and minutes', async () => {
    const res = await call('POST', '/api/admin/sla-policies', {
      name: 'Managed hosting SLA',
      availability_target_percent: 99.5,
      credit_tiers: [{ below_percent: 99.5, credit_percent: 10 }],
      response_targets_minutes: { critical: 120, major: 240, minor: 480 },
      response_compliance_target_percent: 98,
      response_credit_tiers: [{ below_percent: 98, credit_percent: 5 }],
      class_labels: { critical: 'Critical', major: 'Semi-critical', minor: 'Non-critical' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    policy = res.json.sla_policy.id;
    expect(res.json.sla_policy).toMatchObject({
      availability_target_percent: 99.5,
      weights: { major_outage: 1, partial_outage: 0.3, degraded_performance: 0, under_maintenance: 1 },
      response_credit_tiers: [{ below_percent: 98, credit_percent: 5 }],
      class_labels: { major: 'Semi-critical' },
    });
  });

  it('names bad fields as the client sent them and writes nothing', async () => {
    const bad = await call('POST', '/api/admin/sla-policies', { name: 'X', availability_target_percent: 99, response_credit_tiers: [{ below_percent: 99.5, credit_percent: 5 }] });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields)).toEqual(['response_credit_tiers.0.below_percent']);
    const unknown = await call('POST', '/api/admin/groups', { name: 'X', colour: 'red' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.fields.colour).toMatch(/Unknown field/);
    expect((await call('GET', '/api/admin/sla-policies')).json.sla_policies).toHaveLength(1);
    expect((await call('GET', '/api/admin/groups')).json.groups).toHaveLength(0);
  });

  it('creates groups and components and changes only the fields a PATCH sends', async () => {
    const g = await call('POST', '/api/admin/groups', { name: 'Hosting', description: 'Servers and backups' });
    expect(g.status).toBe(201);
    group = g.json.group.id;
    const c = await call('POST', '/api/admin/components', { name: 'Customer servers', slug: 'servers', group_id: group, start_date: '2026-01-01', sla_policy_id: null });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    servers = c.json.component.id;
    const patched = await call('PATCH', `/api/admin/components/${servers}`, { description: 'Dedicated and virtual servers' });
    expect(patched.json.component).toMatchObject({ name: 'Customer servers', slug: 'servers', group_id: group, start_date: '2026-01-01', description: 'Dedicated and virtual servers' });
    const clash = await call('POST', '/api/admin/components', { name: 'Other', slug: 'servers', group_id: 'nope' });
    expect(clash.status).toBe(422);
    expect(Object.keys(clash.json.error.fields).sort()).toEqual(['group_id', 'slug']);
    expect((await call('GET', `/api/admin/groups/${group}`)).json.group.components).toEqual([servers]);
  });

  it('sets the site settings, keeping what is not sent', async () => {
    const res = await call('PATCH', '/api/admin/settings', { name: 'Hosting status', time_zone: 'Europe/Amsterdam', default_sla_policy_id: policy });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.settings).toMatchObject({ name: 'Hosting status', time_zone: 'Europe/Amsterdam', default_sla_policy_id: policy, history_days: 90 });
    const bad = await call('PATCH', '/api/admin/settings', { time_zone: 'Mars/Olympus' });
    expect(Object.keys(bad.json.error.fields)).toEqual(['time_zone']);
  });

  it('refuses tokens without config:write', async () => {
    const res = await call('POST', '/api/admin/groups', { name: 'Sneaky' }, incidentsToken);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/config:write/);
  });

  const opened: Record<string, string> = {};

  it('shows the 5% response-time credit on /uptime once one of three incidents was answered late', async () => {
    // One start for all three, 3 h ago: the critical one (target 2 h) is late, the major (4 h) and
    // minor (8 h) ones are within. The month asked for is the one they started in.
    const startedAt = new Date(Date.now() - 3 * HOUR);
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit' }).format(startedAt);
    for (const [title, impact] of [
      ['Hypervisor crash', 'critical'],
      ['Slow storage', 'major'],
      ['Backup window overran', 'minor'],
    ] as const) {
      const res = await call('POST', '/api/admin/incidents', { title, impact, message: 'We are on it.', started_at: startedAt.toISOString(), components: [{ component_id: servers, level: 'partial_outage' }] }, incidentsToken);
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      opened[impact] = res.json.incident.id;
    }
    const json = await (await fetch(`${server.url}/api/uptime.json?month=${month}`)).json();
    expect(json.response_compliance).toMatchObject({ counted: 3, within: 2, met: false, credit: { below: 0.98, credit_percent: 5 } });
    const html = decodeEntities(await (await fetch(`${server.url}/uptime?month=${month}`)).text());
    expect(html).toContain("Response-time credit: 5% of the monthly fee when fewer than 98.00% of a month's counted incidents");
    expect(html).toMatch(/5% of the monthly fee is owed( so far)? — 66\.66% is below\s+98\.00%/);
    expect(html).toContain('Semi-critical');
    expect(html).toContain('2 h for critical, 4 h for semi-critical and 8 h for non-critical incidents');
  });

  it("names the impact in the policy's words on incident pages and cards; the impact stays the data", async () => {
    const page = decodeEntities(await (await fetch(`${server.url}/incidents/${opened.major}`)).text());
    expect(page).toContain('>Semi-critical impact</span>');
    expect(page).not.toContain('>Major impact</span>');
    const home = decodeEntities(await (await fetch(`${server.url}/`)).text());
    for (const badge of ['Critical impact', 'Semi-critical impact', 'Non-critical impact']) expect(home).toContain(`>${badge}</span>`);
    const json = await (await fetch(`${server.url}/api/v2/incidents/unresolved.json`)).json();
    expect(json.incidents.map((i: { impact: string }) => i.impact).sort()).toEqual(['critical', 'major', 'minor']);
  });

  it('keeps the standard label and says what each policy calls it when the components differ', async () => {
    const other = await call('POST', '/api/admin/sla-policies', { name: 'Backup SLA', availability_target_percent: 99, class_labels: { major: 'Priority 2' } });
    expect(other.status, JSON.stringify(other.json)).toBe(201);
    const backups = await call('POST', '/api/admin/components', { name: 'Backups', slug: 'backups', sla_policy_id: other.json.sla_policy.id });
    expect(backups.status, JSON.stringify(backups.json)).toBe(201);
    const both = [servers, backups.json.component.id].map((component_id) => ({ component_id, level: 'degraded_performance' }));
    const res = await call('POST', '/api/admin/incidents', { title: 'Storage network flapping', impact: 'major', message: 'Looking.', components: both }, incidentsToken);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const page = decodeEntities(await (await fetch(`${server.url}/incidents/${res.json.incident.id}`)).text());
    expect(page).toContain('>Major impact</span>');
    expect(page).toContain('Semi-critical under Managed hosting SLA; Priority 2 under Backup SLA');
  });
});
