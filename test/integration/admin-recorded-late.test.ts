// Recording after the fact in the workspace (forms, no JavaScript): an incident opened back-dated
// with its first message dated when it happened, a later update dated too, and a past
// maintenance window, announced or not. Bad input: the message beside the field, everything typed
// kept, nothing saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatZonedLocal } from '../../src/domain/time-zone.ts';
import { adminClient, componentId, countRows, decodeEntities, fieldError, fieldValue, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const TZ = 'Europe/Amsterdam';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PASSWORD = 'quiet harbour orange kettle';
/** A time as the datetime-local fields take it, to the minute, in the demo's zone. */
const local = (at: number) => formatZonedLocal(at, TZ);

let server: RunningServer;
let editor: AdminClient;
let viewer: AdminClient;
let smtp: string;
let statistics: string;

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  await createStaff(server.databasePath, { email: 'viewer@example.test', password: PASSWORD, role: 'viewer' });
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
  viewer = adminClient(server.url, await signIn(server.url, 'viewer@example.test', PASSWORD));
  smtp = componentId(server.databasePath, 'smtp-relay');
  statistics = componentId(server.databasePath, 'statistics');
});
afterAll(() => server?.stop());

const incidentJson = async (id: string) => (await fetch(`${server.url}/api/incidents/${id}.json`)).json();

describe('opening an incident after the fact', () => {
  // Whole minutes: the form's fields carry no seconds.
  const startedAt = Math.floor((Date.now() - 3 * HOUR) / MINUTE) * MINUTE;
  const opening = {
    title: 'Relay queue stuck overnight',
    impact: 'major',
    status: 'investigating',
    startedAt: local(startedAt),
    displayAt: local(startedAt + 10 * MINUTE),
    message: 'Mail to some providers was queueing.',
    intent: 'open',
  };

  it('refuses a first message dated in the future or before the start, beside the field, keeping what was typed', async () => {
    const before = countRows(server.databasePath, 'incidents');
    for (const [displayAt, message] of [
      [local(Date.now() + 2 * HOUR), 'This time is in the future. Leave it empty to post now.'],
      [local(startedAt - HOUR), 'The first message cannot come before the incident started.'],
    ] as const) {
      const res = await editor.post('/admin/incidents/new', { ...opening, displayAt, [`level.${smtp}`]: 'partial_outage' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(fieldError(html, 'displayAt')).toBe(message);
      expect(fieldValue(html, 'displayAt')).toBe(displayAt);
      expect(fieldValue(html, 'title')).toBe(opening.title);
      expect(fieldValue(html, 'message')).toBe(opening.message);
      expect(html).toMatch(/<details class="recorded-late" open/);
    }
    expect(countRows(server.databasePath, 'incidents')).toBe(before);
  });

  it('opens it back-dated, then records a later update at its own time; time to first update counts from publication', async () => {
    const opened = await editor.post('/admin/incidents/new', { ...opening, [`level.${smtp}`]: 'partial_outage' });
    expect(opened.status, await opened.clone().text()).toBe(303);
    const id = /\/admin\/incidents\/([a-z0-9]+)\?/.exec(opened.headers.get('location')!)![1]!;
    let doc = await incidentJson(id);
    expect(doc.timeline.started_at).toBe(new Date(startedAt).toISOString());
    expect(doc.updates[0].display_at).toBe(new Date(startedAt + 10 * MINUTE).toISOString());
    expect(Date.parse(doc.updates[0].created_at)).toBeGreaterThan(startedAt + 2 * HOUR);
    expect(doc.durations.time_to_first_update.ms).toBeGreaterThanOrEqual(3 * HOUR - MINUTE);

    const updated = await editor.post(`/admin/incidents/${id}`, {
      status: 'monitoring',
      message: 'Failover to the second site done.',
      [`was.${smtp}`]: 'partial_outage',
      [`level.${smtp}`]: 'degraded_performance',
      displayAt: local(startedAt + HOUR),
      intent: 'post',
    });
    expect(updated.status, await updated.clone().text()).toBe(303);
    doc = await incidentJson(id);
    expect(doc.updates.map((u: { display_at: string }) => u.display_at)).toEqual([
      new Date(startedAt + HOUR).toISOString(),
      new Date(startedAt + 10 * MINUTE).toISOString(),
    ]);
    const html = decodeEntities(await (await fetch(`${server.url}/incidents/${id}`)).text());
    expect(html.match(/Recorded at <time[^>]*>[^<]+<\/time>, about events at <time[^>]*>[^<]+<\/time>\./g)).toHaveLength(2);
  });
});

describe('recording a past maintenance window', () => {
  const start = Math.floor((Date.now() - 3 * DAY) / MINUTE) * MINUTE;
  const window = {
    title: 'Emergency kernel patch',
    scheduledStart: local(start),
    scheduledEnd: local(start + HOUR),
    actualEnd: local(start + HOUR + 20 * MINUTE),
    message: 'We patched the relays.',
    intent: 'record',
  };

  it('is offered from the maintenance list, and viewers may not use it', async () => {
    expect(await (await editor.get('/admin/maintenance')).text()).toContain('href="/admin/maintenance/past"');
    expect((await viewer.get('/admin/maintenance/past')).status).toBe(403);
    expect((await viewer.post('/admin/maintenance/past', { ...window, announced: 'no', [`component.${smtp}`]: 'on' })).status).toBe(403);
  });

  it('names each problem beside its field and keeps what was typed, saving nothing', async () => {
    const before = countRows(server.databasePath, 'maintenances');
    const res = await editor.post('/admin/maintenance/past', { ...window, announced: 'yes', announcedAt: '', actualEnd: local(Date.now() + HOUR) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'announcedAt')).toBe('Enter when customers were told, or choose “No” above.');
    expect(fieldError(html, 'actualEnd')).toBe('This window has not ended yet: schedule it as maintenance instead.');
    expect(html).toContain('Choose the components that were under maintenance.');
    expect(fieldValue(html, 'title')).toBe(window.title);
    expect(fieldValue(html, 'scheduledStart')).toBe(window.scheduledStart);
    expect(fieldValue(html, 'message')).toBe(window.message);
    expect(html).toMatch(/<option value="yes" selected/);
    expect(countRows(server.databasePath, 'maintenances')).toBe(before);
  });

  it('records an unannounced window as completed and not excused', async () => {
    const res = await editor.post('/admin/maintenance/past', { ...window, announced: 'no', [`component.${smtp}`]: 'on' });
    expect(res.status, await res.clone().text()).toBe(303);
    const id = /\/admin\/maintenance\/([a-z0-9]+)\?done=recorded/.exec(res.headers.get('location')!)![1]!;
    expect(await (await editor.get(res.headers.get('location')!)).text()).toContain('Past maintenance recorded');
    const html = decodeEntities(await (await fetch(`${server.url}/maintenance/${id}`)).text());
    expect(html).toMatch(/Recorded at <time[^>]*>[^<]+<\/time>, after the window began; it was not announced beforehand\./);
    const doc = (await (await fetch(`${server.url}/api/v2/scheduled-maintenances.json`)).json()).scheduled_maintenances.find((m: { id: string }) => m.id === id);
    expect(doc).toMatchObject({ status: 'completed', scheduled_for: new Date(start).toISOString() });
  });

  it('records an announced window with its announcement time', async () => {
    const res = await editor.post('/admin/maintenance/past', {
      ...window,
      title: 'Statistics database upgrade',
      announced: 'yes',
      announcedAt: local(start - 40 * DAY),
      actualEnd: '',
      [`component.${statistics}`]: 'on',
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const id = /\/admin\/maintenance\/([a-z0-9]+)\?/.exec(res.headers.get('location')!)![1]!;
    const html = decodeEntities(await (await fetch(`${server.url}/maintenance/${id}`)).text());
    expect(html).not.toContain('it was not announced beforehand');
  });
});
