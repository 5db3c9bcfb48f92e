// The configuration pages over HTTP: components, groups, order, SLA policies, settings, users
// and the audit log — success, field errors that keep the input, and role refusals.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

let server: RunningServer;
let owner: AdminClient;
let editor: AdminClient;
let viewer: AdminClient;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  server = await startServer();
  for (const role of ['owner', 'editor', 'viewer'] as const) {
    await createStaff(server.databasePath, { email: `${role}@example.com`, password: PASSWORD, role, name: `The ${role}` });
  }
  owner = adminClient(server.url, await signIn(server.url, 'owner@example.com', PASSWORD));
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.com', PASSWORD));
  viewer = adminClient(server.url, await signIn(server.url, 'viewer@example.com', PASSWORD));
});
afterAll(() => server?.stop());

function query<T>(sql: string, ...params: unknown[]): T {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

const publicPage = async (path: string) => (await fetch(server.url + path)).text();
const errorBeside = (html: string, field: string) => html.match(new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`))?.[1];

describe('components', () => {
  const fields = { name: 'Billing API', slug: 'billing-api', description: 'Invoices.', group: '', startDate: '2024-03-01', slaPolicy: '' };

  it('an editor creates a component that the public page lists at once', async () => {
    const res = await editor.post('/admin/components/new', fields);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/admin\/components\?saved=1#item-[0-9a-z]{12}$/);
    expect(await publicPage('/')).toContain('href="/components/billing-api"');
    expect((await fetch(`${server.url}/components/billing-api`)).status).toBe(200);
  });

  it('shows each bad field beside it and keeps everything typed (422)', async () => {
    const res = await editor.post('/admin/components/new', { ...fields, name: 'Kept name', slug: 'Not A Slug', startDate: '2024-02-31', description: 'kept <description>' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorBeside(html, 'slug')).toMatch(/lowercase letters/);
    expect(errorBeside(html, 'startDate')).toMatch(/YYYY-MM-DD/);
    expect(html).toContain('value="Kept name"');
    expect(html).toContain('value="Not A Slug"');
    expect(html).toContain('kept &lt;description&gt;</textarea>');
  });

  it('edits a component and refuses a slug already in use', async () => {
    const id = query<{ public_id: string }>("select public_id from components where slug = 'webhooks'").public_id;
    const page = await (await editor.get(`/admin/components/${id}`)).text();
    expect(page).toContain('value="webhooks"');
    const clash = await editor.post(`/admin/components/${id}`, { ...fields, name: 'Webhooks', slug: 'send-api' });
    expect(clash.status).toBe(422);
    expect(errorBeside(await clash.text(), 'slug')).toMatch(/already uses/);
    const ok = await editor.post(`/admin/components/${id}`, { ...fields, name: 'Event webhooks', slug: 'webhooks' });
    expect(ok.status).toBe(303);
    expect(await publicPage('/components/webhooks')).toContain('Event webhooks');
  });

  it('answers 404 for an unknown component', async () => {
    expect((await editor.get('/admin/components/nosuchthing0')).status).toBe(404);
  });

  it('reorders with the up/down buttons', async () => {
    const before = query<{ position: number }>("select position from components where slug = 'statistics'").position;
    const id = query<{ public_id: string }>("select public_id from components where slug = 'statistics'").public_id;
    const res = await editor.post('/admin/components', { kind: 'component', publicId: id, direction: 'up' });
    expect(res.status).toBe(303);
    expect(query<{ position: number }>("select position from components where slug = 'statistics'").position).toBeLessThan(before);
  });

  it('creates and edits a group', async () => {
    const res = await editor.post('/admin/components/groups/new', { name: 'Receiving', description: '' });
    expect(res.status).toBe(303);
    const id = query<{ public_id: string }>("select public_id from component_groups where name = 'Receiving'").public_id;
    expect((await editor.post(`/admin/components/groups/${id}`, { name: '', description: '' })).status).toBe(422);
    expect((await editor.post(`/admin/components/groups/${id}`, { name: 'Inbound', description: 'Mail in.' })).status).toBe(303);
    expect(await (await editor.get('/admin/components')).text()).toContain('Inbound');
  });

  it('lets a viewer look but not change', async () => {
    const html = await (await viewer.get('/admin/components')).text();
    expect(html).toContain('Billing API');
    expect(html).not.toContain('New component');
    expect((await viewer.post('/admin/components/new', fields)).status).toBe(403);
  });
});

describe('SLA policies', () => {
  const policy = {
    name: 'Gold', availabilityTarget: '99.95', tierBelow0: '99.95', tierCredit0: '10', tierBelow1: '', tierCredit1: '',
    tierBelow2: '', tierCredit2: '', tierBelow3: '', tierCredit3: '', weightMajor: '1', weightPartial: '0.3', weightDegraded: '0',
    weightMaintenance: '1', noticeDays: '14', maxHours: '8', maxPerYear: '4', allowedDays: ['6', '7'], targetCritical: '60',
    targetMajor: '240', targetMinor: '', complianceTarget: '98',
  };

  it('an owner creates a policy; the list summarises it', async () => {
    expect((await owner.post('/admin/policies/new', policy)).status).toBe(303);
    const html = await (await owner.get('/admin/policies')).text();
    expect(html).toContain('Gold');
    expect(html).toContain('99.95%');
    const row = query<{ availability_target: number; maintenance_allowed_days: string }>("select * from sla_policies where name = 'Gold'");
    expect(row).toMatchObject({ availability_target: 0.9995, maintenance_allowed_days: '[6,7]' });
  });

  it('keeps the typed values, ticked days included, on a bad submission', async () => {
    const res = await owner.post('/admin/policies/new', { ...policy, name: 'Silver', availabilityTarget: '120', weightPartial: '2' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorBeside(html, 'availabilityTarget')).toMatch(/between 0 and 100/);
    expect(errorBeside(html, 'weightPartial')).toMatch(/between 0 and 1/);
    expect(html).toContain('value="Silver"');
    expect(html).toMatch(/value="6" checked/);
  });

  it('edits round-trip through the form', async () => {
    const id = query<{ public_id: string }>("select public_id from sla_policies where name = 'Email platform SLA'").public_id;
    const html = await (await owner.get(`/admin/policies/${id}`)).text();
    expect(html).toContain('value="99.9"');
    expect(html).toContain('value="240"');
  });

  it('is read-only for editors (403 on save)', async () => {
    const id = query<{ public_id: string }>("select public_id from sla_policies where name = 'Gold'").public_id;
    const html = await (await editor.get(`/admin/policies/${id}`)).text();
    expect(html).toContain('<fieldset disabled');
    const res = await editor.post(`/admin/policies/${id}`, { ...policy, name: 'Hijacked' });
    expect(res.status).toBe(403);
    expect(query<{ n: number }>("select count(*) as n from sla_policies where name = 'Hijacked'").n).toBe(0);
  });
});

describe('settings', () => {
  const settings = { name: 'Acme status', url: 'https://status.acme.example', timeZone: 'America/New_York', accentColor: '#aa3300', historyDays: '60', defaultSlaPolicy: '' };

  it('an owner saves settings and the public page follows', async () => {
    const res = await owner.post('/admin/settings', settings);
    expect(res.status).toBe(303);
    const home = await publicPage('/');
    expect(home).toContain('<title>Acme status');
    expect(home).toContain('--accent:#aa3300');
  });

  it('refuses a bad time zone and colour beside the fields', async () => {
    const res = await owner.post('/admin/settings', { ...settings, timeZone: 'Mars/Olympus', accentColor: 'red' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorBeside(html, 'timeZone')).toMatch(/IANA/);
    expect(errorBeside(html, 'accentColor')).toMatch(/#rrggbb/);
    expect(html).toContain('value="Mars/Olympus"');
  });

  it('refuses editors (403)', async () => {
    expect((await editor.post('/admin/settings', { ...settings, name: 'Hijacked' })).status).toBe(403);
    expect(await publicPage('/')).not.toContain('Hijacked');
  });

  it('refuses requiring TOTP while the owner has none', async () => {
    const res = await owner.post('/admin/settings', { ...settings, requireTotp: 'on' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Turn on two-step sign-in for your own account first');
  });
});

describe('users', () => {
  let generated = '';
  it('is for owners only', async () => {
    expect((await editor.get('/admin/users')).status).toBe(403);
    expect((await editor.post('/admin/users/new', { email: 'x@example.com', name: 'X', role: 'owner', password: '' })).status).toBe(403);
    expect(await (await owner.get('/admin/users')).text()).toContain('editor@example.com');
  });

  it('creates a user with a generated password shown once, which signs in', async () => {
    const res = await owner.post('/admin/users/new', { email: 'New.Person@example.com', name: 'New Person', role: 'editor', password: '' });
    expect(res.status).toBe(200);
    generated = (await res.text()).match(/<code class="secret"[^>]*>([^<]+)<\/code>/)![1]!;
    await signIn(server.url, 'new.person@example.com', generated);
    expect(await (await owner.get('/admin/users')).text()).not.toContain(generated);
  });

  it('keeps the typed email and role when the password is too short', async () => {
    const res = await owner.post('/admin/users/new', { email: 'short@example.com', name: 'Shorty', role: 'viewer', password: 'short' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorBeside(html, 'password')).toMatch(/12/);
    expect(html).toContain('value="short@example.com"');
    expect(html).toMatch(/<option value="viewer" selected/);
  });

  it('changes a role, disables (signing out) and refuses to demote the last owner', async () => {
    const id = (email: string) => query<{ public_id: string }>('select public_id from users where email = ?', email).public_id;
    expect((await owner.post(`/admin/users/${id('new.person@example.com')}`, { intent: 'role', role: 'viewer' })).status).toBe(303);
    expect(query<{ role: string }>("select role from users where email = 'new.person@example.com'").role).toBe('viewer');

    const theirs = adminClient(server.url, await signIn(server.url, 'new.person@example.com', generated));
    expect((await theirs.get('/admin/audit')).status).toBe(200);
    expect((await owner.post(`/admin/users/${id('new.person@example.com')}`, { intent: 'disable' })).status).toBe(303);
    expect(query<{ disabled_at: number | null }>("select disabled_at from users where email = 'new.person@example.com'").disabled_at).not.toBeNull();
    expect((await theirs.get('/admin/audit')).status).toBe(303);

    const last = await owner.post(`/admin/users/${id('owner@example.com')}`, { intent: 'role', role: 'editor' });
    expect(last.status).toBe(409);
    expect(await last.text()).toContain('last owner');
  });
});

describe('audit log', () => {
  it('shows who changed what, newest first, with before → after', async () => {
    const html = await (await viewer.get('/admin/audit')).text();
    expect(html.indexOf('site.update')).toBeGreaterThan(-1);
    expect(html.indexOf('site.update')).toBeLessThan(html.indexOf('demo.seed'));
    expect(html).toContain('owner@example.com');
    expect(html).toMatch(/<dt>name<\/dt>\s*<dd><del>Postwise<\/del> → <ins>Acme status<\/ins><\/dd>/);
  });

  it('pages back to the oldest entry', async () => {
    const db = new Database(server.databasePath);
    const insert = db.prepare("insert into audit_log (at, actor_label, action, entity_type, entity_id) values (?, 'filler@example.com', 'filler.entry', 'test', ?)");
    for (let i = 0; i < 60; i++) insert.run(Date.now() + i, `f${i}`);
    db.close();
    const first = await (await viewer.get('/admin/audit')).text();
    expect(first).not.toContain('demo.seed');
    const pages = Number(first.match(/Page 1 of (\d+)/)![1]);
    expect(pages).toBeGreaterThan(1);
    const last = await (await viewer.get(`/admin/audit?page=${pages}`)).text();
    expect(last).toContain('demo.seed');
    expect(last).not.toContain('rel="next"');
  });
});
