// The incident pages of the staff workspace over HTTP, as a browser without JavaScript uses them.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatZonedLocal } from '../../src/domain/time-zone.ts';
import { adminClient, componentId, countRows, fieldError, fieldValue, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const TZ = 'Europe/Amsterdam';
const PASSWORD = 'quiet harbour orange kettle';
const local = (at: number) => formatZonedLocal(at, TZ);

let server: RunningServer;
let editor: AdminClient;
let viewer: AdminClient;
let smtp: string;
let inbound: string;

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  await createStaff(server.databasePath, { email: 'viewer@example.test', password: PASSWORD, role: 'viewer' });
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
  viewer = adminClient(server.url, await signIn(server.url, 'viewer@example.test', PASSWORD));
  smtp = componentId(server.databasePath, 'smtp-relay');
  inbound = componentId(server.databasePath, 'inbound-email');
});
afterAll(() => server?.stop());

async function openIncident(title: string): Promise<string> {
  const response = await editor.post('/admin/incidents/new', {
    title,
    impact: 'major',
    status: 'investigating',
    startedAt: local(Date.now() - 3_600_000),
    [`level.${smtp}`]: 'major_outage',
    [`level.${inbound}`]: 'partial_outage',
    message: 'We are looking into failed deliveries.',
  });
  expect(response.status).toBe(303);
  const location = response.headers.get('location')!;
  expect(location).toMatch(/^\/admin\/incidents\/[a-z0-9]{12}\?done=opened$/);
  return location.split('/')[3]!.split('?')[0]!;
}

describe('opening an incident', () => {
  it('works with a same-site POST and a session, and is public at once', async () => {
    const id = await openIncident('Deliveries failing');
    const screen = await (await editor.get(`/admin/incidents/${id}?done=opened`)).text();
    expect(screen).toContain('Incident opened and published.');
    const publicPage = await (await fetch(`${server.url}/incidents/${id}`)).text();
    expect(publicPage).toContain('Deliveries failing');
    expect(publicPage).toContain('We are looking into failed deliveries.');
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Deliveries failing');
  });

  it('answers bad input with 422, each message beside its field, and everything typed kept', async () => {
    const before = countRows(server.databasePath, 'incidents');
    const typed = { title: '', impact: '', startedAt: local(Date.now() + 5 * 3_600_000), [`level.${smtp}`]: 'partial_outage', message: 'Typed <b>carefully</b> & kept.' };
    const response = await editor.post('/admin/incidents/new', typed);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(fieldError(html, 'title')).toBe('Give the incident a title.');
    expect(fieldError(html, 'impact')).toBe('Choose how severe the impact is.');
    expect(fieldError(html, 'startedAt')).toContain('The start is in the future');
    expect(fieldValue(html, 'message')).toBe('Typed <b>carefully</b> & kept.');
    expect(fieldValue(html, 'startedAt')).toBe(typed.startedAt);
    expect(html).toMatch(new RegExp(`<option value="partial_outage" selected[^>]*>Partial outage</option>`));
    expect(html).toContain('Nothing was saved: 3 fields need your attention');
    expect(countRows(server.databasePath, 'incidents')).toBe(before);
  });

  it('says when a typed time is no time at all', async () => {
    const response = await editor.post('/admin/incidents/new', { title: 'x', impact: 'minor', startedAt: 'tuesday-ish', message: 'y' });
    expect(response.status).toBe(422);
    expect(fieldError(await response.text(), 'startedAt')).toContain('"tuesday-ish" is not a date and time');
  });

  it('previews the message as customers will read it, without saving', async () => {
    const before = countRows(server.databasePath, 'incidents');
    const response = await editor.post('/admin/incidents/new', { intent: 'preview', title: 'Draft', message: 'Mail is **delayed**.\n\n<script>alert(1)</script>' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/Preview — as customers will read it[\s\S]*<p>Mail is <strong>delayed<\/strong>.<\/p>/);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(fieldValue(html, 'message')).toBe('Mail is **delayed**.\n\n<script>alert(1)</script>');
    expect(fieldValue(html, 'title')).toBe('Draft');
    expect(countRows(server.databasePath, 'incidents')).toBe(before);
  });

  it('shows viewers the workspace read-only and refuses their posts', async () => {
    const id = await openIncident('Viewer can look');
    const screen = await viewer.get(`/admin/incidents/${id}`);
    expect(screen.status).toBe(200);
    const html = await screen.text();
    expect(html).toContain('Your role is viewer');
    expect(html).not.toContain('name="message"');
    const before = countRows(server.databasePath, 'incident_updates');
    const posted = await viewer.post(`/admin/incidents/${id}`, { status: 'identified', message: 'Viewer writes' });
    expect(posted.status).toBe(403);
    expect((await viewer.post('/admin/incidents/new', { title: 'x', impact: 'minor', message: 'y' })).status).toBe(403);
    expect(countRows(server.databasePath, 'incident_updates')).toBe(before);
  });

  it('sends strangers to sign in and refuses cross-site posts', async () => {
    const stranger = adminClient(server.url, null);
    const page = await stranger.get('/admin/incidents/new');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/admin\/sign-in/);
    const before = countRows(server.databasePath, 'incidents');
    const crossSite = await editor.post('/admin/incidents/new', { title: 'CSRF', impact: 'minor', message: 'x' }, 'https://evil.example');
    expect(crossSite.status).toBe(403);
    expect(countRows(server.databasePath, 'incidents')).toBe(before);
  });

  it('answers an unknown incident with 404', async () => {
    expect((await editor.get('/admin/incidents/zzzzzzzzzzzz')).status).toBe(404);
    expect((await editor.post('/admin/incidents/zzzzzzzzzzzz', { status: 'identified', message: 'x' })).status).toBe(404);
  });
});

describe('the incident screen', () => {
  it('posts updates, refuses to resolve while customers are affected, then resolves', async () => {
    const id = await openIncident('Relay down');
    const failover = await editor.post(`/admin/incidents/${id}`, {
      status: 'monitoring', kind: 'update', message: 'Failover complete.', failoverComplete: 'on', mitigatedAt: '',
      [`level.${smtp}`]: 'partial_outage', [`was.${smtp}`]: 'major_outage',
      [`level.${inbound}`]: 'partial_outage', [`was.${inbound}`]: 'partial_outage',
    });
    expect(failover.status).toBe(303);
    expect(failover.headers.get('location')).toBe(`/admin/incidents/${id}?done=posted#post-update`);
    let screen = await (await editor.get(`/admin/incidents/${id}`)).text();
    expect(screen).toContain('Failover / mitigation completed');
    expect(screen).toContain('SMTP relay: Major outage → Partial outage');

    const refused = await editor.post(`/admin/incidents/${id}/resolve`, { message: 'Fixed.', verifiedEndToEnd: 'on' });
    expect(refused.status).toBe(409);
    const refusal = await refused.text();
    expect(refusal).toContain('Customers are still marked as affected on SMTP relay and Inbound email: mark them restored first');
    expect(fieldValue(refusal, 'message')).toBe('Fixed.');

    const contradiction = await editor.post(`/admin/incidents/${id}`, {
      status: 'monitoring', message: 'All good?', customersRestored: 'on', [`level.${smtp}`]: 'major_outage', [`was.${smtp}`]: 'partial_outage',
    });
    expect(contradiction.status).toBe(422);
    expect(fieldError(await contradiction.text(), 'components')).toContain('You ticked "All customers restored" but still mark SMTP relay');

    expect((await editor.post(`/admin/incidents/${id}`, { status: 'monitoring', message: 'Everyone is back.', customersRestored: 'on', restoredAt: '' })).status).toBe(303);
    const unverified = await editor.post(`/admin/incidents/${id}/resolve`, { message: 'Fixed.' });
    expect(unverified.status).toBe(422);
    expect(fieldError(await unverified.text(), 'verifiedEndToEnd')).toContain('Confirm that the service was verified end to end');
    const resolved = await editor.post(`/admin/incidents/${id}/resolve`, { message: 'Fixed and verified.', verifiedEndToEnd: 'on' });
    expect(resolved.status).toBe(303);
    screen = await (await editor.get(`/admin/incidents/${id}`)).text();
    expect(screen).toContain('Post an apology or correction');
    const publicPage = await (await fetch(`${server.url}/incidents/${id}`)).text();
    expect(publicPage).toContain('Fixed and verified.');
    expect(publicPage).toContain('Customer-facing impact duration');
  });

  it('keeps a level another editor changed meanwhile: only levels changed on this form count', async () => {
    const id = await openIncident('Two editors');
    // This form was loaded when SMTP relay was at major outage and only the message was written.
    const stale = { status: 'identified', message: 'Still on it.', [`level.${smtp}`]: 'major_outage', [`was.${smtp}`]: 'major_outage' };
    expect((await editor.post(`/admin/incidents/${id}`, { status: 'identified', message: 'Relay better.', [`level.${smtp}`]: 'degraded_performance', [`was.${smtp}`]: 'major_outage' })).status).toBe(303);
    expect((await editor.post(`/admin/incidents/${id}`, stale)).status).toBe(303);
    const html = await (await editor.get(`/admin/incidents/${id}`)).text();
    expect(html).toMatch(new RegExp(`name="level\\.${smtp}"[\\s\\S]*?<option value="degraded_performance" selected`));
  });

  it('edits an update and the public page shows it as edited with the earlier text', async () => {
    const id = await openIncident('Typo incident');
    const screen = await (await editor.get(`/admin/incidents/${id}`)).text();
    const editPath = new RegExp(`href="(/admin/incidents/${id}/updates/[a-z0-9]{12})"`).exec(screen)![1]!;
    const form = await (await editor.get(editPath)).text();
    expect(fieldValue(form, 'message')).toBe('We are looking into failed deliveries.');
    const unchanged = await editor.post(editPath, { message: 'We are looking into failed deliveries.' });
    expect(unchanged.status).toBe(422);
    expect(fieldError(await unchanged.text(), 'message')).toContain('unchanged');
    expect((await editor.post(editPath, { message: 'We are looking into failed email deliveries.' })).status).toBe(303);
    const publicPage = await (await fetch(`${server.url}/incidents/${id}`)).text();
    expect(publicPage).toContain('We are looking into failed email deliveries.');
    expect(publicPage).toContain('(edited');
    expect(publicPage).toContain('Earlier versions of this update (1)');
    expect((await editor.get(`/admin/incidents/${id}/updates/zzzzzzzzzzzz`)).status).toBe(404);
  });

  it('corrects the impact window with a reason, errors shown on the row at fault', async () => {
    const id = await openIncident('Window to correct');
    const start = Date.now() - 3_600_000;
    const form = await (await editor.get(`/admin/incidents/${id}/impact`)).text();
    expect(fieldValue(form, 'periods.0.startedAt')).toBe(local(start).slice(0, 16));
    const bad = await editor.post(`/admin/incidents/${id}/impact`, {
      reason: '',
      startedAt: local(start),
      mitigatedAt: '',
      impactEndedAt: '',
      'periods.0.component': smtp, 'periods.0.level': 'major_outage', 'periods.0.startedAt': local(start), 'periods.0.endedAt': '',
      // A blank row in between must not shift the error onto the wrong row.
      'periods.1.component': '', 'periods.1.level': 'partial_outage', 'periods.1.startedAt': '', 'periods.1.endedAt': '',
      'periods.2.component': inbound, 'periods.2.level': 'partial_outage', 'periods.2.startedAt': local(start + 1_800_000), 'periods.2.endedAt': local(start + 600_000),
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(fieldError(html, 'reason')).toContain('customers read this reason');
    expect(fieldError(html, 'periods.2.endedAt')).toBe('This period of Inbound email ends before it starts. Check both times.');
    expect(fieldValue(html, 'periods.2.startedAt')).toBe(local(start + 1_800_000));

    const good = await editor.post(`/admin/incidents/${id}/impact`, {
      reason: 'Inbound email was affected for 20 minutes only.',
      startedAt: local(start),
      mitigatedAt: '',
      impactEndedAt: '',
      'periods.0.component': smtp, 'periods.0.level': 'major_outage', 'periods.0.startedAt': local(start), 'periods.0.endedAt': '',
      'periods.1.component': inbound, 'periods.1.level': 'partial_outage', 'periods.1.startedAt': local(start), 'periods.1.endedAt': local(start + 1_200_000),
    });
    expect(good.status).toBe(303);
    const publicPage = await (await fetch(`${server.url}/incidents/${id}`)).text();
    expect(publicPage).toMatch(/Impact window corrected on <time[^>]*>[^<]+<\/time>: Inbound email was affected for 20 minutes only./);
  });

  it('keeps a post-mortem draft private and publishes it after resolution', async () => {
    const id = await openIncident('Needs a post-mortem');
    expect((await editor.post(`/admin/incidents/${id}/postmortem`, { intent: 'draft', body: 'Secret **draft**.' })).status).toBe(303);
    expect(await (await fetch(`${server.url}/incidents/${id}`)).text()).not.toContain('Secret');
    const early = await editor.post(`/admin/incidents/${id}/postmortem`, { intent: 'publish', body: 'Secret **draft**.' });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('Resolve the incident before publishing its post-mortem');

    await editor.post(`/admin/incidents/${id}`, { status: 'monitoring', message: 'Back.', customersRestored: 'on' });
    await editor.post(`/admin/incidents/${id}/resolve`, { message: 'Done.', verifiedEndToEnd: 'on' });
    const preview = await editor.post(`/admin/incidents/${id}/postmortem`, { intent: 'preview', body: 'Root cause: **power**.' });
    expect(await preview.text()).toContain('<strong>power</strong>');
    expect((await editor.post(`/admin/incidents/${id}/postmortem`, { intent: 'publish', body: 'Root cause: **power**.' })).status).toBe(303);
    const publicPage = await (await fetch(`${server.url}/incidents/${id}`)).text();
    expect(publicPage).toMatch(/Post-mortem[\s\S]*Root cause: <strong>power<\/strong>/);
  });
});

describe('the workspace home', () => {
  it('lists open incidents with their age and flags those overdue for an update in words', async () => {
    // The demo's ongoing incident was last updated 35 minutes before the demo was loaded (once per
    // run, see build-once.ts): its age in whole minutes as the page was asked for and as it came back.
    const db = new Database(server.databasePath, { readonly: true });
    const last = db
      .prepare(`select max(u.display_at) from incident_updates u join incidents i on i.id = u.incident_id where i.title like 'Elevated latency on webhook deliveries%'`)
      .pluck()
      .get() as number;
    db.close();
    const minutesAgo = () => Math.floor((Date.now() - last) / 60_000);
    const before = minutesAgo();
    const html = await (await editor.get('/admin')).text();
    const after = minutesAgo();
    expect(before).toBeGreaterThanOrEqual(35);
    expect(html).toContain('Open an incident');
    expect(html).toMatch(
      new RegExp(`<li class="card stale">[\\s\\S]*?Elevated latency on webhook deliveries[\\s\\S]*?Update overdue: </strong>\\s*last public update (${before}|${after}) min ago`),
    );
    expect(html).toMatch(/open for \d/);
  });
});
