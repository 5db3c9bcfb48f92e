// The write API over HTTP: tokens and their scopes, every endpoint's happy and bad-input paths
// (nothing written on error), and a whole outage replayed from first alert to post-mortem.
import Database from 'better-sqlite3';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import type { Scope } from '../../src/server/api-tokens.ts';
import { revokeApiToken } from '../../src/server/commands/api-tokens.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { decodeEntities } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken, withServerDb } from '../support/server-db.ts';
import { createStaff, signIn } from '../support/staff.ts';

const PASSWORD = 'lantern orchard pebble';
const HOUR = 3_600_000;
let server: RunningServer;
let incidentsToken: string;
let maintenanceToken: string;
let readToken: string;
let smtp: string;
let inbound: string;

const withDb = <T>(body: (db: Database.Database) => T): T => withServerDb(server.databasePath, body);

const makeToken = (name: string, scopes: Scope[]) => createToken(server.databasePath, name, scopes);

const TABLES = ['incidents', 'incident_updates', 'impact_periods', 'impact_corrections', 'update_revisions', 'postmortems', 'maintenances', 'maintenance_updates', 'audit_log'];
const counts = () =>
  withDb((db) => ({
    ...Object.fromEntries(TABLES.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n])),
    dataVersion: (db.prepare('select data_version as v from site_settings').get() as { v: number }).v,
  }));

interface CallOptions {
  token?: string | null;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

async function call(method: string, route: string, options: CallOptions = {}) {
  const token = options.token === undefined ? incidentsToken : options.token;
  const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...options.headers };
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  const res = await fetch(server.url + route, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

const iso = (ms: number) => new Date(ms).toISOString();

async function openIncident(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/api/admin/incidents', {
    body: { title: 'Mail delayed', impact: 'minor', message: 'Looking into it.', components: [{ component_id: smtp, level: 'degraded_performance' }], ...extra },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.incident.id;
}

/** Expects a JSON error of this status and code, and that nothing was written. */
async function refused(status: number, code: string, run: () => Promise<{ status: number; json: any }>) {
  const before = counts();
  const res = await run();
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error).toMatchObject({ status, code });
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(10);
  expect(counts()).toEqual(before);
  return res.json.error as { message: string; fields: Record<string, string>; [k: string]: unknown };
}

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  await createStaff(server.databasePath, { email: 'viewer@example.test', password: PASSWORD, role: 'viewer' });
  incidentsToken = makeToken('Pager bot', ['incidents:write']).token;
  maintenanceToken = makeToken('Change bot', ['maintenance:write']).token;
  readToken = makeToken('Dashboard', ['read']).token;
  const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; name: string; group: boolean }[] };
  const byName = (name: string) => components.components.find((c) => c.name === name)!.id;
  smtp = byName('SMTP relay');
  inbound = byName('Inbound email');
});
afterAll(() => server?.stop());

describe('authentication and scopes', () => {
  it('refuses a missing, malformed, unknown or revoked token with 401 and a Bearer challenge', async () => {
    const missing = await refused(401, 'unauthorized', () => call('GET', '/api/admin/token', { token: null }));
    expect(missing.message).toMatch(/Authorization: Bearer/);
    const basic = await call('GET', '/api/admin/token', { token: null, headers: { Authorization: 'Basic dXNlcjpwdw==' } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="candor", error="invalid_token"');
    await refused(401, 'unauthorized', () => call('POST', '/api/admin/incidents', { token: `candor_${'x'.repeat(43)}`, body: { title: 'x' } }));
    const { token, publicId } = makeToken('Short-lived', ['incidents:write', 'read']);
    expect((await call('GET', '/api/admin/token', { token })).status).toBe(200);
    const db = openDatabase(server.databasePath, path.resolve('db/migrations'));
    revokeApiToken(db, SYSTEM_OWNER, publicId, Date.now());
    db.$client.close();
    const revoked = await call('GET', '/api/admin/token', { token });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect(revoked.json.error.message).toMatch(/unknown or was revoked/);
  });

  it('says who is calling, and records the last use', async () => {
    const res = await call('GET', '/api/admin/token', { token: readToken });
    expect(res.json).toMatchObject({ token: { name: 'Dashboard', scopes: ['read'] }, actor: 'token:Dashboard', role: 'editor', scopes: ['read'] });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const used = withDb((db) => (db.prepare("select last_used_at as at from api_tokens where name = 'Dashboard'").get() as { at: number | null }).at);
    expect(used).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a call outside the token scope with 403, writing nothing', async () => {
    const incident = await openIncident();
    const body = { title: 'Nope', impact: 'minor', message: 'x' };
    const read = await refused(403, 'forbidden', () => call('POST', '/api/admin/incidents', { token: readToken, body }));
    expect(read.message).toMatch(/"read".*needs "incidents:write"/);
    await refused(403, 'forbidden', () => call('POST', '/api/admin/incidents', { token: maintenanceToken, body }));
    await refused(403, 'forbidden', () => call('POST', '/api/admin/maintenance', { token: incidentsToken, body: {} }));
    await refused(403, 'forbidden', () => call('GET', `/api/admin/incidents/${incident}`, { token: maintenanceToken }));
    expect((await call('GET', `/api/admin/incidents/${incident}`, { token: readToken })).status).toBe(200);
  });

  it('serves sessions too: viewers read (403 on writes), editors write from this site only', async () => {
    const viewer = await signIn(server.url, 'viewer@example.test', PASSWORD);
    const editor = await signIn(server.url, 'editor@example.test', PASSWORD);
    const incident = await openIncident();
    expect((await call('GET', `/api/admin/incidents/${incident}`, { token: null, headers: { Cookie: viewer } })).status).toBe(200);
    const body = { title: 'From the browser', impact: 'minor', message: 'x' };
    await refused(403, 'forbidden', () => call('POST', '/api/admin/incidents', { token: null, body, headers: { Cookie: viewer, Origin: server.url } }));
    const crossSite = await refused(403, 'cross_site', () => call('POST', '/api/admin/incidents', { token: null, body, headers: { Cookie: editor, Origin: 'https://evil.example' } }));
    expect(crossSite.message).toMatch(/evil\.example/);
    const ok = await call('POST', '/api/admin/incidents', { token: null, body, headers: { Cookie: editor, Origin: server.url } });
    expect(ok.status).toBe(201);
  });

  it('answers unknown paths and methods in JSON', async () => {
    expect((await call('GET', '/api/admin/nothing-here')).json.error).toMatchObject({ status: 404, code: 'not_found' });
    const wrongMethod = await call('PUT', '/api/admin/incidents', { body: {} });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('bad requests: clear message, nothing written', () => {
  it('400 for the wrong content type, broken JSON or a body that is not an object', async () => {
    const type = await refused(400, 'bad_request', () => call('POST', '/api/admin/incidents', { raw: 'title=x', contentType: 'application/x-www-form-urlencoded' }));
    expect(type.message).toMatch(/Content-Type: application\/json/);
    expect((await refused(400, 'bad_request', () => call('POST', '/api/admin/incidents', { raw: '{"title": ' }))).message).toMatch(/not valid JSON/);
    await refused(400, 'bad_request', () => call('POST', '/api/admin/incidents', { raw: '["title"]' }));
  });

  it('takes a bodiless POST (no Content-Length, no Transfer-Encoding, as `curl -X POST` sends it) as {}', async () => {
    const saved = await call('POST', '/api/admin/maintenance', {
      token: maintenanceToken,
      body: { title: 'Bodiless', components: [inbound], message: 'x', scheduled_start: iso(Date.now() + 50 * 24 * HOUR), scheduled_end: iso(Date.now() + 50 * 24 * HOUR + HOUR) },
    });
    const { host } = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1', () =>
        socket.write(`POST /api/admin/maintenance/${saved.json.maintenance.id}/cancel HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${maintenanceToken}\r\nConnection: close\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(raw).toContain('"status":"cancelled"');
  });

  it('413 for a body over 256 KB', async () => {
    await refused(413, 'payload_too_large', () => call('POST', '/api/admin/incidents', { body: { title: 'x', message: 'y'.repeat(300 * 1024) } }));
  });

  it('422 with a message per field, named as the request names them', async () => {
    const error = await refused(422, 'invalid', () =>
      call('POST', '/api/admin/incidents', { body: { title: '', impact: 'huge', message: 'x', components: [{ component_id: smtp, level: 'on_fire' }] } }),
    );
    expect(Object.keys(error.fields).sort()).toEqual(['components.0.level', 'impact', 'title']);
    expect(error.fields.title).toBe('Give the incident a title.');
  });

  it('422 for unknown field names (camelCase included) and times that are not ISO 8601 with an offset', async () => {
    const unknown = await refused(422, 'invalid', () => call('POST', '/api/admin/incidents', { body: { title: 'x', impact: 'minor', message: 'x', startedAt: iso(Date.now()) } }));
    expect(unknown.fields.startedAt).toMatch(/Unknown field "startedAt".*started_at/);
    const time = await refused(422, 'invalid', () => call('POST', '/api/admin/incidents', { body: { title: 'x', impact: 'minor', message: 'x', started_at: '2026-11-20 09:15' } }));
    expect(time.fields.started_at).toMatch(/ISO 8601/);
    const future = await refused(422, 'invalid', () => call('POST', '/api/admin/incidents', { body: { title: 'x', impact: 'minor', message: 'x', started_at: iso(Date.now() + 2 * HOUR) } }));
    expect(future.fields.started_at).toBeTruthy();
  });

  it('422, not a crash, for field names that exist on every JavaScript object', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const raw = `{"title":"x","impact":"minor","message":"x","${name}":1,"components":[{"component_id":"${smtp}","level":"major_outage","${name}":2}]}`;
      const error = await refused(422, 'invalid', () => call('POST', '/api/admin/incidents', { raw }));
      expect(Object.keys(error.fields).sort(), name).toEqual([name, `components.0.${name}`].sort());
    }
  });

  it('404 for an unknown incident, update or maintenance', async () => {
    const incident = await openIncident();
    await refused(404, 'not_found', () => call('POST', '/api/admin/incidents/nope/updates', { body: { status: 'identified', message: 'x' } }));
    await refused(404, 'not_found', () => call('GET', '/api/admin/incidents/nope'));
    await refused(404, 'not_found', () => call('PATCH', `/api/admin/incidents/${incident}/updates/nope`, { body: { message: 'x' } }));
    const other = await openIncident();
    const otherUpdate = (await call('GET', `/api/admin/incidents/${other}`)).json.incident.updates[0].id;
    await refused(404, 'not_found', () => call('PATCH', `/api/admin/incidents/${incident}/updates/${otherUpdate}`, { body: { message: 'x' } }));
    await refused(404, 'not_found', () => call('POST', '/api/admin/maintenance/nope/start', { token: maintenanceToken }));
    await refused(404, 'not_found', () => call('GET', '/api/admin/maintenance/nope', { token: maintenanceToken }));
  });
});

describe('incident endpoints', () => {
  it('opens, updates, apologises, corrects, edits — each answering with the incident', async () => {
    const opened = await call('POST', '/api/admin/incidents', {
      body: { title: 'Bounces', impact: 'major', status: 'identified', message: 'Some mail **bounces**.', started_at: iso(Date.now() - HOUR), components: [{ component_id: inbound, level: 'partial_outage' }] },
    });
    expect(opened.status).toBe(201);
    const id = opened.json.incident.id;
    expect(opened.headers.get('location')).toBe(`/api/admin/incidents/${id}`);
    expect(opened.json.incident).toMatchObject({ title: 'Bounces', impact: 'major', status: 'identified' });
    expect(opened.json.incident.components[0]).toMatchObject({ id: inbound, worst_status: 'partial_outage' });

    const apology = await call('POST', `/api/admin/incidents/${id}/updates`, { body: { status: 'identified', kind: 'apology', message: 'We are sorry.' } });
    expect(apology.status).toBe(201);
    expect(apology.json.incident.updates.find((u: any) => u.id === apology.json.update.id)).toMatchObject({ kind: 'apology' });
    const correction = await call('POST', `/api/admin/incidents/${id}/updates`, { body: { status: 'monitoring', kind: 'correction', message: 'Only inbound mail was affected.' } });
    expect(correction.json.incident.updates.find((u: any) => u.id === correction.json.update.id)).toMatchObject({ kind: 'correction', status: 'monitoring' });

    const edited = await call('PATCH', `/api/admin/incidents/${id}/updates/${apology.json.update.id}`, { body: { message: 'We are very sorry.' } });
    expect(edited.status).toBe(200);
    const update = edited.json.incident.updates.find((u: any) => u.id === apology.json.update.id);
    expect(update.body_markdown).toBe('We are very sorry.');
    expect(update.edited_at).not.toBeNull();
    expect(update.revisions).toHaveLength(1);
    await refused(422, 'invalid', () => call('PATCH', `/api/admin/incidents/${id}/updates/${apology.json.update.id}`, { body: { message: 'We are very sorry.' } }));

    const start = Date.now() - 2 * HOUR;
    const corrected = await call('POST', `/api/admin/incidents/${id}/impact-corrections`, {
      body: { reason: 'Monitoring shows it began earlier.', started_at: iso(start), mitigated_at: null, periods: [{ component_id: inbound, level: 'partial_outage', started_at: iso(start), ended_at: null }] },
    });
    expect(corrected.status, JSON.stringify(corrected.json)).toBe(201);
    expect(corrected.json.incident.timeline.started_at).toBe(iso(start));
    expect(corrected.json.incident.corrections[0].reason).toBe('Monitoring shows it began earlier.');
    const badCorrection = await refused(422, 'invalid', () =>
      call('POST', `/api/admin/incidents/${id}/impact-corrections`, {
        body: { reason: '', started_at: iso(start), mitigated_at: iso(start - HOUR), periods: [{ component_id: inbound, level: 'partial_outage', started_at: 'later', ended_at: null }] },
      }),
    );
    expect(badCorrection.fields['periods.0.started_at']).toMatch(/ISO 8601/);

    const audit = withDb(
      (db) =>
        db.prepare('select action, actor_label as label, actor_token_id as token from audit_log where entity_id in (?, ?) order by id').all(id, apology.json.update.id) as {
          action: string;
          label: string;
          token: number;
        }[],
    );
    expect(audit.map((a) => a.action)).toEqual(['incident.open', 'incident.update', 'incident.update', 'incident_update.edit', 'incident.correct_impact']);
    expect(audit.every((a) => a.label === 'token:Pager bot' && a.token !== null)).toBe(true);
  });

  it('refuses a resolved status through updates, and a post-mortem before resolving (409)', async () => {
    const id = await openIncident();
    const status = await refused(422, 'invalid', () => call('POST', `/api/admin/incidents/${id}/updates`, { body: { status: 'resolved', message: 'Done' } }));
    expect(status.fields.status).toMatch(/Resolve incident/);
    await refused(409, 'conflict', () => call('PUT', `/api/admin/incidents/${id}/postmortem`, { body: { status: 'published', body: 'Text' } }));
    await refused(422, 'invalid', () => call('PUT', `/api/admin/incidents/${id}/postmortem`, { body: { status: 'final', body: '' } })).then((e) =>
      expect(Object.keys(e.fields).sort()).toEqual(['body', 'status']),
    );
    const draft = await call('PUT', `/api/admin/incidents/${id}/postmortem`, { body: { status: 'draft', body: 'Draft text' } });
    expect(draft.status).toBe(200);
    expect(draft.json.incident.postmortem).toBeNull(); // drafts stay private
  });
});

describe('maintenance endpoints', () => {
  const window = (startInDays: number, hours = 2) => {
    const start = Date.now() + startInDays * 24 * HOUR;
    return { scheduled_start: iso(start), scheduled_end: iso(start + hours * HOUR) };
  };

  it('returns the policy warnings first (409, nothing saved), then schedules once exactly those are acknowledged', async () => {
    const body = { title: 'Short-notice upgrade', components: [smtp], message: 'Upgrade.', ...window(1) };
    const first = await refused(409, 'policy_warnings', () => call('POST', '/api/admin/maintenance', { token: maintenanceToken, body }));
    const warnings = first.warnings as { problem: string; components: string[] }[];
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]!.problem).toMatch(/notice|ahead/i);
    await refused(409, 'policy_warnings', () => call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { ...body, acknowledge_warnings: ['something else'] } }));
    const saved = await call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { ...body, acknowledge_warnings: warnings.map((w) => w.problem) } });
    expect(saved.status, JSON.stringify(saved.json)).toBe(201);
    expect(saved.json.warnings_acknowledged).toEqual(warnings);
    expect(saved.json.maintenance).toMatchObject({ title: 'Short-notice upgrade', status: 'scheduled' });
    expect(saved.json.maintenance.policy.some((p: any) => p.excused === false)).toBe(true);
  });

  it('refuses bad windows field by field', async () => {
    const error = await refused(422, 'invalid', () =>
      call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { title: '', components: [], message: 'x', scheduled_start: iso(Date.now() + 40 * 24 * HOUR), scheduled_end: 'tomorrow' } }),
    );
    expect(Object.keys(error.fields)).toEqual(['scheduled_end']);
    const shape = await refused(422, 'invalid', () =>
      call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { title: '', components: [], message: 'x', ...window(40) } }),
    );
    expect(Object.keys(shape.fields).sort()).toEqual(['components', 'title']);
  });

  it('starts, verifies, completes; refuses a step out of order (409); posts updates', async () => {
    const saved = await call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { title: 'Routine', components: [inbound], message: 'Routine work.', ...window(40) } });
    const id = saved.json.maintenance.id;
    await refused(409, 'conflict', () => call('POST', `/api/admin/maintenance/${id}/verify`, { token: maintenanceToken }));
    const started = await call('POST', `/api/admin/maintenance/${id}/start`, { token: maintenanceToken, body: { message: 'Starting now.' } });
    expect(started.json.maintenance).toMatchObject({ status: 'in_progress' });
    expect(started.json.maintenance.actual_start).not.toBeNull();
    const update = await call('POST', `/api/admin/maintenance/${id}/updates`, { token: maintenanceToken, body: { message: 'Half way.' } });
    expect(update.status).toBe(201);
    await refused(422, 'invalid', () => call('POST', `/api/admin/maintenance/${id}/updates`, { token: maintenanceToken, body: { message: '' } }));
    expect((await call('POST', `/api/admin/maintenance/${id}/verify`, { token: maintenanceToken })).json.maintenance.status).toBe('verifying');
    expect((await call('POST', `/api/admin/maintenance/${id}/complete`, { token: maintenanceToken })).json.maintenance.status).toBe('completed');
    const cancel = await refused(409, 'conflict', () => call('POST', `/api/admin/maintenance/${id}/cancel`, { token: maintenanceToken }));
    expect(cancel.message).toMatch(/already completed/);
    await refused(404, 'not_found', () => call('POST', `/api/admin/maintenance/${id}/explode`, { token: maintenanceToken }));
    const read = await call('GET', `/api/admin/maintenance/${id}`, { token: readToken });
    expect(read.json.maintenance.updates.map((u: any) => u.status)).toEqual(expect.arrayContaining(['scheduled', 'in_progress', 'verifying', 'completed']));
  });

  it('cancels a scheduled window', async () => {
    const saved = await call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { title: 'Maybe', components: [inbound], message: 'Perhaps.', ...window(45) } });
    const cancelled = await call('POST', `/api/admin/maintenance/${saved.json.maintenance.id}/cancel`, { token: maintenanceToken, body: { message: 'Not needed after all.' } });
    expect(cancelled.json.maintenance.status).toBe('cancelled');
  });
});

describe('POST /api/admin/maintenance/{id}/reschedule', () => {
  const DAY = 24 * HOUR;
  const window = (startInDays: number, hours = 2) => {
    const start = Date.now() + startInDays * DAY;
    return { scheduled_start: iso(start), scheduled_end: iso(start + hours * HOUR) };
  };
  /** Schedules a window on Inbound email, acknowledging whatever the policy says about it. */
  async function scheduleWindow(title: string, startInDays: number): Promise<string> {
    const body = { title, components: [inbound], message: 'Planned work.', ...window(startInDays) };
    let saved = await call('POST', '/api/admin/maintenance', { token: maintenanceToken, body });
    if (saved.status === 409) {
      const problems = saved.json.error.warnings.map((w: { problem: string }) => w.problem);
      saved = await call('POST', '/api/admin/maintenance', { token: maintenanceToken, body: { ...body, acknowledge_warnings: problems } });
    }
    expect(saved.status, JSON.stringify(saved.json)).toBe(201);
    return saved.json.maintenance.id;
  }
  const reschedule = (id: string, body: unknown, token = maintenanceToken) => call('POST', `/api/admin/maintenance/${id}/reschedule`, { token, body });

  it('returns the policy warnings first (409, nothing saved), then moves the window in place, announced now, with a public update', async () => {
    const id = await scheduleWindow('Inbound filter upgrade', 50);
    await refused(403, 'forbidden', () => reschedule(id, window(52), incidentsToken));
    await refused(403, 'forbidden', () => reschedule(id, window(52), readToken));

    // Two days from now: far too little notice, whatever the original announcement said.
    const move = { ...window(2, 3), message: 'Moved forward: the **vendor patch** is out early.' };
    const first = await refused(409, 'policy_warnings', () => reschedule(id, move));
    const warnings = first.warnings as { problem: string; components: string[] }[];
    expect(warnings).toEqual(expect.arrayContaining([{ problem: expect.stringMatching(/^Announced [12] days? ahead; the policy requires 30 days\.$/), components: ['Inbound email'] }]));
    expect(first.message).toContain('To move it anyway');
    await refused(409, 'policy_warnings', () => reschedule(id, { ...move, acknowledge_warnings: ['something else'] }));

    const before = Date.now();
    const moved = await reschedule(id, { ...move, acknowledge_warnings: warnings.map((w) => w.problem) });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(moved.json.warnings_acknowledged).toEqual(warnings);
    expect(moved.json.maintenance).toMatchObject({ id, status: 'scheduled', title: 'Inbound filter upgrade', scheduled_start: move.scheduled_start, scheduled_end: move.scheduled_end });
    expect(Date.parse(moved.json.maintenance.announced_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(moved.json.maintenance.policy).toEqual([expect.objectContaining({ component: 'Inbound email', excused: false })]);
    const update = moved.json.maintenance.updates.find((u: { id: string }) => u.id === moved.json.update.id);
    expect(update).toMatchObject({ status: 'scheduled', body_markdown: move.message });
    expect(update.body_html).toContain('<strong>vendor patch</strong>');
    const audit = withDb((db) => db.prepare(`select action, before, after from audit_log where entity_id = ? order by id desc limit 1`).get(id)) as { action: string; before: string; after: string };
    expect(audit.action).toBe('maintenance.reschedule');
    expect(JSON.parse(audit.after)).toMatchObject({ scheduledStart: Date.parse(move.scheduled_start), policyWarningsAccepted: warnings.map((w) => w.problem) });
    expect(JSON.parse(audit.before).scheduledStart).not.toBe(Date.parse(move.scheduled_start));
  });

  it('writes a plain default message and can change title and components', async () => {
    const id = await scheduleWindow('Inbound queue resize', 60);
    const body = { ...window(61), title: 'Inbound and SMTP queue resize', components: [inbound, smtp] };
    let moved = await reschedule(id, body);
    if (moved.status === 409) moved = await reschedule(id, { ...body, acknowledge_warnings: moved.json.error.warnings.map((w: { problem: string }) => w.problem) });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(moved.json.maintenance.title).toBe('Inbound and SMTP queue resize');
    expect(moved.json.maintenance.components.map((c: { name: string }) => c.name).sort()).toEqual(['Inbound email', 'SMTP relay']);
    const update = moved.json.maintenance.updates.find((u: { id: string }) => u.id === moved.json.update.id);
    expect(update.body_markdown).toMatch(/^Rescheduled from .+ to .+\. Components under maintenance: .+\.$/);
  });

  it('refuses bad input field by field (422), unknown windows (404), windows under way (409), other methods (405)', async () => {
    const id = await scheduleWindow('Inbound index rebuild', 70);
    const badTime = await refused(422, 'invalid', () => reschedule(id, { scheduled_start: iso(Date.now() + 71 * DAY), scheduled_end: 'next tuesday' }));
    expect(Object.keys(badTime.fields)).toEqual(['scheduled_end']);
    const backwards = await refused(422, 'invalid', () => reschedule(id, { scheduled_start: iso(Date.now() + 71 * DAY), scheduled_end: iso(Date.now() + 70 * DAY) }));
    expect(backwards.fields).toEqual({ scheduled_end: 'The window must end after it starts.' });
    const shape = await refused(422, 'invalid', () => reschedule(id, { title: '', components: [], message: '' }));
    expect(Object.keys(shape.fields).sort()).toEqual(['components', 'message', 'scheduled_end', 'scheduled_start', 'title']);
    const unknownField = await refused(422, 'invalid', () => reschedule(id, { ...window(71), status: 'in_progress' }));
    expect(Object.keys(unknownField.fields)).toEqual(['status']);
    const unknownComponent = await refused(422, 'invalid', () => reschedule(id, { ...window(71), components: ['nope'] }));
    expect(Object.keys(unknownComponent.fields)).toEqual(['components']);
    await refused(404, 'not_found', () => reschedule('nope', window(71)));
    expect((await call('GET', `/api/admin/maintenance/${id}/reschedule`, { token: maintenanceToken })).status).toBe(405);

    expect((await call('POST', `/api/admin/maintenance/${id}/start`, { token: maintenanceToken })).status).toBe(200);
    const underWay = await refused(409, 'conflict', () => reschedule(id, window(71)));
    expect(underWay.message).toMatch(/already under way, so it can no longer be moved/);
  });
});

describe('an outage replayed through the API, first alert to post-mortem', () => {
  it('ends with the right durations on the public page and in /api/incidents/<id>.json', async () => {
    const start = Date.now() - 3 * 24 * HOUR;
    const opened = await call('POST', '/api/admin/incidents', {
      body: {
        title: 'Datacentre failure',
        impact: 'critical',
        message: 'Mail is not being delivered.',
        started_at: iso(start),
        mitigation_wording: 'failover',
        components: [{ component_id: smtp, level: 'major_outage' }, { component_id: inbound, level: 'major_outage' }],
      },
    });
    const id = opened.json.incident.id;
    const failover = await call('POST', `/api/admin/incidents/${id}/updates`, {
      body: { status: 'monitoring', message: 'Failover to the second datacentre is complete.', failover_complete: true, mitigated_at: iso(start + 3 * HOUR) },
    });
    expect(failover.json.incident.durations.failover).toMatchObject({ ms: 3 * HOUR, ongoing: false });
    expect(failover.json.incident.durations.customer_impact.ongoing).toBe(true);
    await call('POST', `/api/admin/incidents/${id}/updates`, { body: { status: 'monitoring', kind: 'apology', message: 'We are sorry: some customers are still without mail.' } });

    const blocked = await refused(409, 'conflict', () => call('POST', `/api/admin/incidents/${id}/resolve`, { body: { message: 'Fixed.', verified_end_to_end: true } }));
    expect(blocked.message).toMatch(/SMTP relay|Inbound email/);

    const restored = await call('POST', `/api/admin/incidents/${id}/updates`, {
      body: { status: 'monitoring', message: 'The last customers have their mail back.', customers_restored: true, restored_at: iso(start + 54 * HOUR) },
    });
    expect(restored.status, JSON.stringify(restored.json)).toBe(201);
    const unverified = await refused(422, 'invalid', () => call('POST', `/api/admin/incidents/${id}/resolve`, { body: { message: 'Fixed.' } }));
    expect(unverified.fields.verified_end_to_end).toMatch(/verified end to end/);
    const resolved = await call('POST', `/api/admin/incidents/${id}/resolve`, { body: { message: 'Resolved and verified end to end.', verified_end_to_end: true } });
    expect(resolved.json.incident.status).toBe('resolved');
    const published = await call('PUT', `/api/admin/incidents/${id}/postmortem`, { body: { status: 'published', body: '## What happened\n\nA power failure.' } });
    expect(published.status).toBe(200);

    const doc = await (await fetch(`${server.url}/api/incidents/${id}.json`)).json();
    expect(doc.durations.failover).toMatchObject({ ms: 3 * HOUR, formatted: '3 h', ongoing: false });
    expect(doc.durations.customer_impact).toMatchObject({ ms: 54 * HOUR, formatted: '2 d 6 h', ongoing: false });
    expect(doc.durations.impact_after_failover).toMatchObject({ ms: 51 * HOUR, formatted_long: '2 days 3 hours' });
    expect(doc.updates.map((u: any) => u.kind)).toEqual(expect.arrayContaining(['apology', 'update']));
    expect(doc.postmortem.body_html).toContain('What happened');

    const page = decodeEntities(await (await fetch(`${server.url}/incidents/${id}`)).text());
    expect(page).toContain('Failover duration');
    expect(page).toMatch(/duration-value">3 h</);
    expect(page).toMatch(/duration-value">2 d 6 h</);
    expect(page).toContain('Customers remained affected for 2 days 3 hours after failover completed');
    expect(page).toContain('A power failure.');
  });
});
