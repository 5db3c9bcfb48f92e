// The workspace's alert sources over HTTP, as a browser without JavaScript uses them: an owner
// creates a source and sees its token once, sets the label → component rules (problems beside
// their row, everything typed kept), sees the alerts received and the drafts they opened, and
// rotates the token (the old one stops working). Editors and viewers may look, not change.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, componentId, countRows, decodeEntities, fieldError, fieldValue, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const PASSWORD = 'quiet harbour orange kettle';
let server: RunningServer;
let owner: AdminClient;
let editor: AdminClient;
let smtp: string;

const fixture = (name: string) => fs.readFileSync(path.resolve('test/fixtures/alerts', name), 'utf8');
const postAlert = (slug: string, token: string, body: string) =>
  fetch(`${server.url}/api/alerts/${slug}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
const tokenIn = (html: string) => /<code class="secret" id="new-token">([^<]+)<\/code>/.exec(html)?.[1] ?? null;

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'owner@example.test', password: PASSWORD, role: 'owner' });
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  owner = adminClient(server.url, await signIn(server.url, 'owner@example.test', PASSWORD));
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
  smtp = componentId(server.databasePath, 'smtp-relay');
});
afterAll(() => server?.stop());

describe('alert sources in the workspace', () => {
  let token: string;
  let sourcePage: string;

  it('is refused to visitors who are not signed in', async () => {
    const res = await adminClient(server.url, null).get('/admin/alerts');
    expect([302, 303, 401]).toContain(res.status);
  });

  it('creates a source and shows its token once', async () => {
    const res = await owner.post('/admin/alerts', { name: 'Prometheus', slug: 'prometheus', kind: 'alertmanager' });
    expect(res.status).toBe(200);
    const html = await res.text();
    token = tokenIn(html)!;
    expect(token).toMatch(/^candor_/);
    expect(html).toContain('<code>/api/alerts/prometheus</code>');
    sourcePage = /href="(\/admin\/alerts\/[a-z0-9]+)"/.exec(html)![1]!;
    const again = await (await owner.get('/admin/alerts')).text();
    expect(again).not.toContain(token);
    expect(again).toContain('Prometheus');
    const db = new Database(server.databasePath, { readonly: true });
    const audit = db.prepare("select * from audit_log where action like 'alert_source.%'").all();
    db.close();
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('names a taken address beside its field, keeping what was typed', async () => {
    const before = countRows(server.databasePath, 'alert_sources');
    const res = await owner.post('/admin/alerts', { name: 'Second Prometheus', slug: 'prometheus', kind: 'grafana' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'slug')).toBe('Another alert source already uses this name in its address.');
    expect(fieldValue(html, 'name')).toBe('Second Prometheus');
    expect(html).toMatch(/<option value="grafana" selected/);
    expect(tokenIn(html)).toBeNull();
    expect(countRows(server.databasePath, 'alert_sources')).toBe(before);
  });

  it('lets editors look but not change anything', async () => {
    expect((await editor.get('/admin/alerts')).status).toBe(200);
    expect(await (await editor.get(sourcePage)).text()).not.toContain('Rotate token');
    const create = await editor.post('/admin/alerts', { name: 'Sneaky', slug: 'sneaky', kind: 'generic' });
    expect(create.status).toBe(403);
    const rotate = await editor.post(sourcePage, { intent: 'rotate', confirm: 'on' });
    expect(rotate.status).toBe(403);
    expect(tokenIn(await rotate.text())).toBeNull();
  });

  it('saves label → component rules; a row without a component is named and nothing is saved', async () => {
    const rule = { 'rules.0.label': 'service', 'rules.0.value': 'smtp', 'rules.0.level': 'major_outage', intent: 'rules' };
    const bad = await owner.post(sourcePage, { ...rule, 'rules.0.component': '', 'rules.1.label': '', 'rules.1.value': '' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(fieldError(html, 'rules.0.component')).toBe('Choose the component, or clear this row.');
    expect(fieldValue(html, 'rules.0.label')).toBe('service');
    expect(fieldValue(html, 'rules.0.value')).toBe('smtp');

    const emptyValue = await owner.post(sourcePage, { ...rule, 'rules.0.component': smtp, 'rules.0.value': ' ', 'rules.1.label': 'job', 'rules.1.value': 'x', 'rules.1.component': smtp, 'rules.1.level': 'partial_outage' });
    // A row with only its label typed is still a rule to check: its value is asked for beside it.
    expect(emptyValue.status).toBe(422);
    expect(fieldError(await emptyValue.text(), 'rules.0.value')).toBe('Give the label value to match, e.g. smtp.');

    const saved = await owner.post(sourcePage, { ...rule, 'rules.0.component': smtp });
    expect(saved.status).toBe(303);
    const page = decodeEntities(await (await owner.get(saved.headers.get('location')!)).text());
    expect(page).toContain('Rules saved');
    expect(fieldValue(page, 'rules.0.label')).toBe('service');
    expect(page).toMatch(new RegExp(`name="rules.0.component"[^>]*>[\\s\\S]*?<option value="${smtp}" selected`));
  });

  it('lists the alerts received and the drafts they opened, with the rule applied', async () => {
    const res = await postAlert('prometheus', token, fixture('alertmanager-firing.json'));
    expect(res.status).toBe(202);
    const draft = (await res.json()).drafts_opened[0];
    const html = decodeEntities(await (await editor.get(sourcePage)).text());
    expect(html).toContain('SMTPRelayDown');
    expect(html).toContain(`href="/admin/incidents/${draft}"`);
    expect(html).toContain('draft, not published');
    expect(html).toContain('Firing');
    const db = new Database(server.databasePath, { readonly: true });
    const proposed = db.prepare('select proposed_components as p from incidents where public_id = ?').get(draft) as { p: string };
    db.close();
    expect(JSON.parse(proposed.p)).toMatchObject([{ componentId: smtp, level: 'major_outage' }]);
  });

  it('rotates the token after confirmation: the old one is refused, the new one works', async () => {
    const unconfirmed = await owner.post(sourcePage, { intent: 'rotate' });
    expect(unconfirmed.status).toBe(422);
    expect(fieldError(await unconfirmed.text(), 'confirm')).toMatch(/Tick the box/);
    const res = await owner.post(sourcePage, { intent: 'rotate', confirm: 'on' });
    expect(res.status).toBe(200);
    const fresh = tokenIn(await res.text())!;
    const old = token;
    token = fresh;
    expect(fresh).toMatch(/^candor_/);
    expect(fresh).not.toBe(old);
    expect((await postAlert('prometheus', old, fixture('alertmanager-resolved.json'))).status).toBe(401);
    expect((await postAlert('prometheus', fresh, fixture('alertmanager-resolved.json'))).status).toBe(202);
    const html = await (await owner.get(sourcePage)).text();
    expect(html).toContain('Cleared');
    expect(html).not.toContain(fresh);
  });

  it('sets a component level from alerts only where an owner turned automatic levels on, and restores it', async () => {
    const status = async () => ((await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; status: string }[] }).components.find((c) => c.id === smtp)!.status;
    const before = await status();
    // Off by default: a firing alert only proposes the level in its draft.
    const list = await (await owner.get('/admin/alerts')).text();
    expect(list).not.toMatch(new RegExp(`name="level.${smtp}"[^>]*checked`));
    expect((await postAlert('prometheus', token, fixture('alertmanager-firing.json'))).status).toBe(202);
    expect(await status()).toBe(before);
    expect((await postAlert('prometheus', token, fixture('alertmanager-resolved.json'))).status).toBe(202);

    expect((await editor.post('/admin/alerts', { intent: 'levels', [`level.${smtp}`]: 'on' })).status).toBe(403);
    const saved = await owner.post('/admin/alerts', { intent: 'levels', [`level.${smtp}`]: 'on' });
    expect(saved.status).toBe(303);
    expect(await (await owner.get('/admin/alerts')).text()).toMatch(new RegExp(`name="level.${smtp}"[^>]*checked`));

    expect((await postAlert('prometheus', token, fixture('alertmanager-firing.json'))).status).toBe(202);
    expect(await status()).toBe('major_outage');
    const home = decodeEntities(await (await fetch(`${server.url}/`)).text());
    expect(home).toContain('Set automatically by our monitoring since');
    expect((await postAlert('prometheus', token, fixture('alertmanager-resolved.json'))).status).toBe(202);
    expect(await status()).toBe(before);
    expect(decodeEntities(await (await fetch(`${server.url}/`)).text())).not.toContain('Set automatically by our monitoring since');
    const db = new Database(server.databasePath, { readonly: true });
    const audited = db.prepare("select after from audit_log where action = 'component.alert_levels'").all() as { after: string }[];
    db.close();
    expect(audited.map((a) => JSON.parse(a.after))).toEqual([{ alertLevels: true }]);
  });
});
