// The maintenance pages of the staff workspace over HTTP: policy warnings before saving, then
// start / verify / complete as customers see it on the public page.
import Database from 'better-sqlite3';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant, formatZonedLocal, parseZonedLocal } from '../../src/domain/time-zone.ts';
import { adminClient, componentId, countRows, decodeEntities, fieldError, fieldValue, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const TZ = 'Europe/Amsterdam';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'quiet harbour orange kettle';
const local = (at: number) => formatZonedLocal(at, TZ);

let server: RunningServer;
let editor: AdminClient;
let statistics: string;

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
  statistics = componentId(server.databasePath, 'statistics');
});
afterAll(() => server?.stop());

const windowFields = (startIn: number, hours: number, title = 'Statistics database upgrade') => ({
  title,
  scheduledStart: local(Date.now() + startIn),
  scheduledEnd: local(Date.now() + startIn + hours * HOUR),
  [`component.${statistics}`]: 'on',
  message: 'Statistics may lag behind for up to two hours.',
});

describe('scheduling maintenance', () => {
  it('shows policy warnings before saving, and saves only when staff confirm those warnings', async () => {
    const before = countRows(server.databasePath, 'maintenances');
    const fields = windowFields(2 * DAY, 50);
    const warned = await editor.post('/admin/maintenance/new', { ...fields, intent: 'schedule' });
    expect(warned.status).toBe(200);
    const html = await warned.text();
    expect(html).toContain('This window breaks the SLA maintenance policy — not saved yet');
    expect(html).toMatch(/Announced [12] days? ahead; the policy requires 30 days\./);
    expect(html).toContain('Lasts 50 h; the policy allows at most 48 h.');
    expect(html).toContain('Schedule anyway');
    expect(fieldValue(html, 'title')).toBe(fields.title);
    expect(countRows(server.databasePath, 'maintenances')).toBe(before);
    const acknowledged = fieldValue(html, 'acknowledged')!;

    // Changing the window after the warnings shows its own warnings again instead of saving.
    const changed = await editor.post('/admin/maintenance/new', { ...windowFields(2 * DAY, 60), intent: 'confirm', acknowledged });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('Lasts 60 h');
    expect(countRows(server.databasePath, 'maintenances')).toBe(before);

    const confirmed = await editor.post('/admin/maintenance/new', { ...fields, intent: 'confirm', acknowledged });
    expect(confirmed.status).toBe(303);
    const location = confirmed.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/maintenance\/[a-z0-9]{12}\?done=scheduled$/);
    const page = await (await editor.get(location)).text();
    expect(page).toContain('Maintenance scheduled and announced on the status page.');
    expect(decodeEntities(page)).toContain('not excused, counts as downtime');
  });

  it('refuses bad input with 422 beside the fields, keeping what was typed', async () => {
    const before = countRows(server.databasePath, 'maintenances');
    const response = await editor.post('/admin/maintenance/new', {
      intent: 'schedule',
      title: '',
      scheduledStart: local(Date.now() + 10 * DAY),
      scheduledEnd: local(Date.now() + 9 * DAY),
      message: 'Kept <i>as typed</i>.',
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(fieldError(html, 'title')).toBe('Give the maintenance a title.');
    expect(fieldError(html, 'components')).toBe('Choose the components that will be under maintenance.');
    expect(fieldValue(html, 'message')).toBe('Kept <i>as typed</i>.');
    expect(countRows(server.databasePath, 'maintenances')).toBe(before);
    const backwards = await editor.post('/admin/maintenance/new', { ...windowFields(10 * DAY, -1), intent: 'schedule' });
    expect(backwards.status).toBe(422);
    expect(fieldError(await backwards.text(), 'scheduledEnd')).toBe('The window must end after it starts.');
  });
});

describe('running maintenance', () => {
  async function scheduleNow(title: string): Promise<string> {
    const fields = { ...windowFields(HOUR, 2, title), intent: 'schedule' };
    const first = await editor.post('/admin/maintenance/new', fields);
    const response = first.status === 303 ? first : await editor.post('/admin/maintenance/new', { ...fields, intent: 'confirm', acknowledged: fieldValue(await first.text(), 'acknowledged')! });
    expect(response.status).toBe(303);
    return response.headers.get('location')!.split('/')[3]!.split('?')[0]!;
  }

  it('starts (components under maintenance), verifies and completes, each with a public update', async () => {
    const id = await scheduleNow('Statistics reindex');
    const started = await editor.post(`/admin/maintenance/${id}`, { intent: 'start', message: '' });
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe(`/admin/maintenance/${id}?done=start`);
    const statusPage = await (await fetch(`${server.url}/`)).text();
    expect(statusPage).toMatch(/Statistics[\s\S]{0,600}Under maintenance/);
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'verify', message: 'Checking the numbers.' })).status).toBe(303);
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'update', message: '' })).status).toBe(422);
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'complete', message: '' })).status).toBe(303);
    const publicPage = await (await fetch(`${server.url}/maintenance/${id}`)).text();
    for (const text of ['The maintenance has started.', 'Checking the numbers.', 'The maintenance is complete.']) expect(publicPage).toContain(text);
    const again = await editor.post(`/admin/maintenance/${id}`, { intent: 'start', message: '' });
    expect(again.status).toBe(409);
  });

  it('cancels a scheduled window, and refuses to cancel one under way', async () => {
    const id = await scheduleNow('Cancelled work');
    // "Cancel maintenance" first asks, showing the message; nothing is published until confirmed.
    const asked = await editor.post(`/admin/maintenance/${id}`, { intent: 'cancel', message: 'Postponed.' });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('Yes, cancel and publish');
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'cancel-confirm', message: 'Postponed.' })).status).toBe(303);
    const other = await scheduleNow('Running work');
    await editor.post(`/admin/maintenance/${other}`, { intent: 'start' });
    const refused = await editor.post(`/admin/maintenance/${other}`, { intent: 'cancel' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('complete it rather than cancel it');
  });

  it('lists maintenance and answers unknown ids with 404', async () => {
    const list = await (await editor.get('/admin/maintenance')).text();
    expect(list).toContain('Statistics reindex');
    expect((await editor.get('/admin/maintenance/zzzzzzzzzzzz')).status).toBe(404);
  });
});

describe('rescheduling maintenance', () => {
  const row = (id: string) => {
    const db = new Database(server.databasePath, { readonly: true });
    try {
      return db.prepare('select scheduled_start, scheduled_end, announced_at, updated_at from maintenances where public_id = ?').get(id) as {
        scheduled_start: number;
        scheduled_end: number;
        announced_at: number;
        updated_at: number;
      };
    } finally {
      db.close();
    }
  };
  const calendarEvent = async (id: string) => {
    const ics = await (await fetch(`${server.url}/maintenance.ics`)).text();
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const event = events.find((e) => e.uid.startsWith(`${id}@`));
    expect(event).toBeDefined();
    return { uid: event!.uid, sequence: event!.sequence, start: event!.startDate.toJSDate().getTime(), end: event!.endDate.toJSDate().getTime() };
  };

  it('moves a window after showing the policy warnings; the public page and the calendar show the new times under the same UID', async () => {
    // 10:00 tomorrow in the site's zone: whole minutes for the datetime-local fields, and no
    // window crosses midnight.
    const base = parseZonedLocal(`${local(Date.now() + DAY).slice(0, 10)}T10:00`, TZ)!;
    const oldStart = base + 60 * DAY;
    const fields = { ...windowFields(0, 0, 'Statistics storage move'), scheduledStart: local(oldStart), scheduledEnd: local(oldStart + 2 * HOUR), intent: 'schedule' };
    const first = await editor.post('/admin/maintenance/new', fields);
    const scheduled = first.status === 303 ? first : await editor.post('/admin/maintenance/new', { ...fields, intent: 'confirm', acknowledged: fieldValue(await first.text(), 'acknowledged')! });
    expect(scheduled.status).toBe(303);
    const id = scheduled.headers.get('location')!.split('/')[3]!.split('?')[0]!;

    const admin = await (await editor.get(`/admin/maintenance/${id}`)).text();
    expect(admin).toContain('Reschedule');
    expect(fieldValue(admin, 'scheduledStart')).toBe(local(oldStart));
    expect(fieldValue(admin, 'title')).toBe('Statistics storage move');
    const before = await calendarEvent(id);
    expect(before.start).toBe(oldStart);
    // SEQUENCE counts whole seconds since creation.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    // Moved to two or three days from now: too little notice, so warnings first and nothing saved.
    const newStart = base + 2 * DAY;
    const move = {
      title: 'Statistics storage move',
      scheduledStart: local(newStart),
      scheduledEnd: local(newStart + 3 * HOUR),
      [`component.${statistics}`]: 'on',
      rescheduleMessage: '',
    };
    const warned = await editor.post(`/admin/maintenance/${id}`, { ...move, intent: 'reschedule' });
    expect(warned.status).toBe(200);
    const warnedHtml = await warned.text();
    expect(warnedHtml).toContain('The new window breaks the SLA maintenance policy — not moved yet');
    expect(warnedHtml).toMatch(/Announced [23] days ahead; the policy requires 30 days\./);
    expect(warnedHtml).toContain('Move anyway');
    expect(fieldValue(warnedHtml, 'scheduledStart')).toBe(local(newStart));
    expect(row(id).scheduled_start).toBe(oldStart);

    // A window ending before it starts is refused beside the field, keeping what was typed.
    const backwards = await editor.post(`/admin/maintenance/${id}`, { ...move, scheduledEnd: local(newStart - HOUR), rescheduleMessage: 'Kept *as typed*.', intent: 'reschedule' });
    expect(backwards.status).toBe(422);
    const backwardsHtml = await backwards.text();
    expect(fieldError(backwardsHtml, 'scheduledEnd')).toBe('The window must end after it starts.');
    expect(fieldValue(backwardsHtml, 'rescheduleMessage')).toBe('Kept *as typed*.');
    expect(row(id).scheduled_start).toBe(oldStart);

    const confirmed = await editor.post(`/admin/maintenance/${id}`, { ...move, intent: 'reschedule-confirm', acknowledged: fieldValue(warnedHtml, 'acknowledged')! });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/admin/maintenance/${id}?done=reschedule`);
    expect(await (await editor.get(confirmed.headers.get('location')!)).text()).toContain('Maintenance moved');
    const moved = row(id);
    expect(moved).toMatchObject({ scheduled_start: newStart, scheduled_end: newStart + 3 * HOUR });
    expect(moved.announced_at).toBeGreaterThan(Date.now() - 60_000);

    const publicPage = decodeEntities(await (await fetch(`${server.url}/maintenance/${id}`)).text());
    const window = (start: number, end: number) => `${formatInstant(start, TZ, 'date')}, ${formatInstant(start, TZ, 'time')}–${formatInstant(end, TZ, 'time')}`;
    expect(publicPage).toContain(`Rescheduled from ${window(oldStart, oldStart + 2 * HOUR)}`);
    expect(publicPage).toContain(`to ${window(newStart, newStart + 3 * HOUR)}`);

    const after = await calendarEvent(id);
    expect(after).toMatchObject({ uid: before.uid, start: newStart, end: newStart + 3 * HOUR });
    expect(after.sequence).toBeGreaterThan(before.sequence);

    // Once under way it can no longer be moved.
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'start', message: '' })).status).toBe(303);
    const late = await editor.get(`/admin/maintenance/${id}`);
    expect(await late.text()).not.toContain('Check and move');
    const refused = await editor.post(`/admin/maintenance/${id}`, { ...move, scheduledStart: local(newStart + DAY), scheduledEnd: local(newStart + DAY + HOUR), intent: 'reschedule' });
    expect(refused.status).toBe(409);
    expect(decodeEntities(await refused.text())).toContain('This maintenance is already under way, so it can no longer be moved.');
  });
});
