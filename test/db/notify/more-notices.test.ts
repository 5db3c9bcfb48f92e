// The two public posts that reach subscribers besides updates: publishing an alert's draft and
// correcting an impact window. Each tells subscribers unless staff say `notify: false`.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema.ts';
import { parseAlerts } from '../../../src/server/alerts/parse-alerts.ts';
import { createAlertSource } from '../../../src/server/commands/alert-sources.ts';
import { correctImpactWindow } from '../../../src/server/commands/correct-impact-window.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { publishDraftIncident } from '../../../src/server/commands/publish-draft-incident.ts';
import { receiveAlerts } from '../../../src/server/commands/receive-alerts.ts';
import type { NotificationContent } from '../../../src/server/notify/content.ts';
import { addSubscriber } from '../../../src/server/notify/subscriber-admin.ts';
import { EDITOR, openCommandDb, OWNER, type CommandDb } from '../../support/command-db.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.parse('2026-12-03T07:45:00Z');
let c: CommandDb;

beforeEach(() => {
  c = openCommandDb(now);
  addSubscriber(c.db, EDITOR, { channel: 'slack', url: 'https://hooks.slack.example/relay', components: ['smtp-relay'] }, now);
});
afterEach(() => c.close());

const notices = () =>
  c.db
    .select({ event: s.notifications.event, recipients: s.notifications.recipients, content: s.notifications.content })
    .from(s.notifications)
    .all()
    .map((n) => ({ event: n.event, recipients: n.recipients, content: JSON.parse(n.content) as NotificationContent }));

function draftFromAlert(): string {
  createAlertSource(c.db, OWNER, { name: 'Prometheus', slug: 'prometheus', kind: 'alertmanager', rules: [{ label: 'service', value: 'smtp', componentId: c.component('smtp-relay'), level: 'major_outage' }] }, now);
  const row = c.db.select().from(s.alertSources).get()!;
  const source = { id: row.id, slug: row.slug, name: row.name, rules: JSON.parse(row.rules) };
  const payload = JSON.parse(fs.readFileSync(path.resolve('test/fixtures/alerts/alertmanager-firing.json'), 'utf8')) as unknown;
  const bot = { actor: { userId: null, tokenId: null, label: 'alert-source:prometheus' }, role: 'editor' as const };
  receiveAlerts(c.db, bot, { source, alerts: parseAlerts('alertmanager', payload, now) }, now);
  return c.db.select().from(s.incidents).where(eq(s.incidents.draft, true)).get()!.publicId;
}

describe('publishing a draft', () => {
  it('tells subscribers it started, as of now', () => {
    publishDraftIncident(c.db, EDITOR, draftFromAlert(), {}, now + 5 * MIN);
    expect(notices().map((n) => [n.event, n.recipients])).toEqual([['incident.opened', 1]]);
  });

  it('publishes quietly with notify: false', () => {
    publishDraftIncident(c.db, EDITOR, draftFromAlert(), { notify: false }, now + 5 * MIN);
    expect(c.db.select().from(s.incidents).where(eq(s.incidents.draft, true)).all()).toEqual([]);
    expect(notices()).toEqual([]);
  });
});

describe('correcting an impact window', () => {
  function quietIncident(): string {
    const t = now - 10 * HOUR;
    const id = openIncident(c.db, EDITOR, { title: 'Relay outage', impact: 'major', message: 'Investigating.', startedAt: t, components: [{ componentId: c.component('smtp-relay'), level: 'major_outage' }], notify: false }, t + 30 * MIN).publicId;
    return id;
  }
  const longer = (id: string, notify?: boolean) => {
    const t = now - 10 * HOUR;
    correctImpactWindow(
      c.db,
      EDITOR,
      id,
      {
        reason: 'Queued mail was replayed only at <b>16:00</b>.',
        startedAt: t,
        mitigatedAt: null,
        periods: [{ componentId: c.component('smtp-relay'), level: 'partial_outage', startedAt: t, endedAt: t + 6 * HOUR }],
        ...(notify === undefined ? {} : { notify }),
      },
      now,
    );
  };

  it('tells subscribers the corrected durations with the reason (escaped)', () => {
    const id = quietIncident();
    expect(notices()).toEqual([]);
    longer(id);
    const [notice] = notices();
    expect(notice).toMatchObject({ event: 'incident.impact_corrected', recipients: 1 });
    expect(notice!.content.headline).toBe('Impact window corrected');
    expect(notice!.content.bodyMd).toBe('Queued mail was replayed only at <b>16:00</b>.');
    expect(notice!.content.bodyHtml).toBe('<p>Queued mail was replayed only at &lt;b&gt;16:00&lt;/b&gt;.</p>');
    expect(notice!.content.facts.join(' ')).toContain('6 hours');
  });

  it('corrects quietly with notify: false', () => {
    longer(quietIncident(), false);
    expect(notices()).toEqual([]);
  });
});
