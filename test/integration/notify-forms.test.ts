// "Notify subscribers" on every workspace form that posts publicly: ticked by default (unticked
// on an update's edit, which should not mail everyone again), and unticking it posts quietly.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatZonedLocal } from '../../src/domain/time-zone.ts';
import { adminClient, componentId, fieldValue, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const TZ = 'Europe/Amsterdam';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'quiet harbour orange kettle';

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

/** The notifications published about one incident or window, by event. */
function eventsFor(kind: 'incident' | 'maintenance', publicId: string): string[] {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    const table = kind === 'incident' ? 'incidents' : 'maintenances';
    return (
      db
        .prepare(`select n.event from notifications n join ${table} t on t.id = n.${kind}_id where t.public_id = ? order by n.id`)
        .all(publicId) as { event: string }[]
    ).map((r) => r.event);
  } finally {
    db.close();
  }
}

function firstUpdateOf(incident: string): string {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return (
      db.prepare('select u.public_id as id from incident_updates u join incidents i on i.id = u.incident_id where i.public_id = ? order by u.id limit 1').get(incident) as {
        id: string;
      }
    ).id;
  } finally {
    db.close();
  }
}

/** The checkbox `name` as rendered: whether it is there and whether it is ticked. */
function box(html: string, name: string): 'checked' | 'unchecked' | 'absent' {
  const input = new RegExp(`<input[^>]*type="checkbox"[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return input === undefined ? 'absent' : /\schecked/.test(input) ? 'checked' : 'unchecked';
}

const idFrom = (location: string | null) => /\/admin\/(?:incidents|maintenance)\/([a-z0-9]+)/.exec(location ?? '')![1]!;

/** Posts a maintenance form; when the SLA policy warns, confirms exactly those warnings (not what is tested here). */
async function submitWindow(path: string, fields: Record<string, string>, intent: 'schedule' | 'reschedule'): Promise<Response> {
  const first = await editor.post(path, { ...fields, intent });
  if (first.status !== 200) return first;
  const acknowledged = fieldValue(await first.text(), 'acknowledged');
  if (acknowledged === null) throw new Error(`${path} stayed on the page without policy warnings`);
  return editor.post(path, { ...fields, intent: intent === 'schedule' ? 'confirm' : 'reschedule-confirm', acknowledged });
}

const windowFields = (title: string) => ({
  title,
  scheduledStart: formatZonedLocal(Date.now() + 40 * DAY, TZ),
  scheduledEnd: formatZonedLocal(Date.now() + 40 * DAY + 2 * HOUR, TZ),
  [`component.${statistics}`]: 'on',
  message: 'Statistics may lag behind for up to two hours.',
});

describe('maintenance forms', () => {
  it('schedule: ticked by default; unticked announces on the page only', async () => {
    expect(box(await (await editor.get('/admin/maintenance/new')).text(), 'notify')).toBe('checked');
    const quiet = await submitWindow('/admin/maintenance/new', { ...windowFields('Quiet window'), notifyOffered: '1' }, 'schedule');
    expect(quiet.status).toBe(303);
    expect(eventsFor('maintenance', idFrom(quiet.headers.get('location')))).toEqual([]);
    const told = await submitWindow('/admin/maintenance/new', { ...windowFields('Told window'), notifyOffered: '1', notify: 'on' }, 'schedule');
    expect(told.status).toBe(303);
    // Announced now, and the reminder waits in the outbox for its time.
    expect(eventsFor('maintenance', idFrom(told.headers.get('location')))).toEqual(['maintenance.scheduled', 'maintenance.reminder']);
  });

  it('steps, updates and reschedule each have their own box, and each is obeyed', async () => {
    const scheduled = await submitWindow('/admin/maintenance/new', { ...windowFields('Step window'), notifyOffered: '1', notify: 'on' }, 'schedule');
    const id = idFrom(scheduled.headers.get('location'));
    const screen = await (await editor.get(`/admin/maintenance/${id}`)).text();
    expect(box(screen, 'notify')).toBe('checked');
    expect(box(screen, 'rescheduleNotify')).toBe('checked');
    // Two forms on one page: their boxes must not share an id.
    expect(screen).toContain('id="f-notify"');
    expect(screen).toContain('id="f-rescheduleNotify"');

    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'update', message: 'Quiet note.', notifyOffered: '1' })).status).toBe(303);
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'update', message: 'Told note.', notifyOffered: '1', notify: 'on' })).status).toBe(303);
    const moved = {
      ...windowFields('Step window'),
      scheduledStart: formatZonedLocal(Date.now() + 41 * DAY, TZ),
      scheduledEnd: formatZonedLocal(Date.now() + 41 * DAY + 2 * HOUR, TZ),
    };
    const { message: _, ...window } = moved;
    expect((await submitWindow(`/admin/maintenance/${id}`, { ...window, rescheduleNotifyOffered: '1' }, 'reschedule')).status).toBe(303);
    expect(eventsFor('maintenance', id)).toEqual(['maintenance.scheduled', 'maintenance.reminder', 'maintenance.updated']);
    const back = { ...window, scheduledStart: formatZonedLocal(Date.now() + 42 * DAY, TZ), scheduledEnd: formatZonedLocal(Date.now() + 42 * DAY + 2 * HOUR, TZ) };
    expect((await submitWindow(`/admin/maintenance/${id}`, { ...back, rescheduleNotifyOffered: '1', rescheduleNotify: 'on' }, 'reschedule')).status).toBe(303);
    expect(eventsFor('maintenance', id).slice(3)).toEqual(['maintenance.rescheduled', 'maintenance.reminder']);
    expect((await editor.post(`/admin/maintenance/${id}`, { intent: 'start', message: '', notifyOffered: '1' })).status).toBe(303);
    expect(eventsFor('maintenance', id)).toHaveLength(5);
  });
});

describe('incident forms', () => {
  it('an edit of an update is quiet unless staff tick the box; a post-mortem tells subscribers unless unticked', async () => {
    const opened = await editor.post('/admin/incidents/new', { intent: 'open-anyway', title: 'Stats lagging', impact: 'minor', message: 'Statistics are late.', notifyOffered: '1', notify: 'on' });
    expect(opened.status).toBe(303);
    const id = idFrom(opened.headers.get('location'));
    const update = firstUpdateOf(id);
    const edit = `/admin/incidents/${id}/updates/${update}`;
    expect(box(await (await editor.get(edit)).text(), 'notify')).toBe('unchecked');
    expect((await editor.post(edit, { intent: 'save', message: 'Statistics are late (typo fixed).', notifyOffered: '1' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual(['incident.opened']);
    // A form without the box at all (an older page) keeps the command's default: quiet.
    expect((await editor.post(edit, { intent: 'save', message: 'Statistics are late again.' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual(['incident.opened']);
    expect((await editor.post(edit, { intent: 'save', message: 'Statistics were 2 hours late, not 20 minutes.', notifyOffered: '1', notify: 'on' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual(['incident.opened', 'incident.update_edited']);

    const resolved = await editor.post(`/admin/incidents/${id}/resolve`, { intent: 'resolve', message: 'Caught up.', verifiedEndToEnd: 'on', notifyOffered: '1' });
    expect(resolved.status).toBe(303);
    const postmortem = `/admin/incidents/${id}/postmortem`;
    expect(box(await (await editor.get(postmortem)).text(), 'notify')).toBe('checked');
    expect((await editor.post(postmortem, { intent: 'publish', body: '## Summary\n\nA queue stalled.', notifyOffered: '1' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual(['incident.opened', 'incident.update_edited']);
    // Once published, later changes of the text tell nobody, so the box is not offered.
    expect(box(await (await editor.get(postmortem)).text(), 'notify')).toBe('absent');
  });

  it('an impact-window correction tells subscribers unless the box is unticked', async () => {
    const local = (at: number) => formatZonedLocal(at, TZ);
    const opened = await editor.post('/admin/incidents/new', {
      intent: 'open',
      title: 'Stats slow',
      impact: 'minor',
      message: 'Statistics are slow.',
      startedAt: local(Date.now() - 3 * HOUR),
      [`level.${statistics}`]: 'degraded_performance',
      notifyOffered: '1',
    });
    expect(opened.status).toBe(303);
    const id = idFrom(opened.headers.get('location'));
    const impact = `/admin/incidents/${id}/impact`;
    expect(box(await (await editor.get(impact)).text(), 'notify')).toBe('checked');
    const window = (hoursAgo: number) => ({
      reason: `Customers were affected from ${hoursAgo} hours ago.`,
      startedAt: local(Date.now() - hoursAgo * HOUR),
      mitigatedAt: '',
      impactEndedAt: '',
      'periods.0.component': statistics,
      'periods.0.level': 'degraded_performance',
      'periods.0.startedAt': local(Date.now() - hoursAgo * HOUR),
      'periods.0.endedAt': '',
    });
    expect((await editor.post(impact, { ...window(4), notifyOffered: '1' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual([]);
    expect((await editor.post(impact, { ...window(5), notifyOffered: '1', notify: 'on' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual(['incident.impact_corrected']);
  });

  it('publishing a post-mortem with the box ticked tells subscribers', async () => {
    const opened = await editor.post('/admin/incidents/new', { intent: 'open-anyway', title: 'Queue stall', impact: 'minor', message: 'Queue stalled.', notifyOffered: '1' });
    const id = idFrom(opened.headers.get('location'));
    expect((await editor.post(`/admin/incidents/${id}/resolve`, { intent: 'resolve', message: 'Fixed.', verifiedEndToEnd: 'on', notifyOffered: '1' })).status).toBe(303);
    expect((await editor.post(`/admin/incidents/${id}/postmortem`, { intent: 'publish', body: '## Summary\n\nA queue stalled.', notifyOffered: '1', notify: 'on' })).status).toBe(303);
    expect(eventsFor('incident', id)).toEqual(['incident.postmortem_published']);
  });
});
