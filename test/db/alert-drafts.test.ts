// Alerts open drafts that nobody outside sees or counts until staff publish them; cleared alerts
// become private notes; publishing turns proposed levels into impact periods from detection, and
// time from detection to the first public update is measured from the publication.
import fs from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import { parseAlerts } from '../../src/server/alerts/parse-alerts.ts';
import { getIncidentsDocument, getSummaryDocument } from '../../src/server/api/status-api.ts';
import { createAlertSource } from '../../src/server/commands/alert-sources.ts';
import { publishDraftIncident } from '../../src/server/commands/publish-draft-incident.ts';
import { receiveAlerts, type AlertSourceRow } from '../../src/server/commands/receive-alerts.ts';
import { getComponentPage } from '../../src/server/component-page.ts';
import { Conflict, orNotFound } from '../../src/server/errors.ts';
import { loadFeedEvents } from '../../src/server/feeds/feed-events.ts';
import { getHistoryPage } from '../../src/server/history-page.ts';
import { getIncidentPage } from '../../src/server/incident-page.ts';
import { loadSite } from '../../src/server/site.ts';
import { getStatusPage } from '../../src/server/status-page.ts';
import { getUptimePage } from '../../src/server/uptime-page.ts';
import { EDITOR, openCommandDb, OWNER, thrown, type CommandDb } from '../support/command-db.ts';

const MIN = 60_000;
const FIRED = Date.parse('2026-12-03T07:42:10.000Z');
const CLEARED = Date.parse('2026-12-03T08:19:40.000Z');
const now = Date.parse('2026-12-03T07:45:00Z');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.resolve('test/fixtures/alerts', name), 'utf8')) as unknown;
const BOT = { actor: { userId: null, tokenId: null, label: 'alert-source:prometheus' }, role: 'editor' as const };
let t: CommandDb;
let source: AlertSourceRow;

beforeEach(() => {
  t = openCommandDb(now);
  createAlertSource(t.db, OWNER, { name: 'Prometheus', slug: 'prometheus', kind: 'alertmanager', rules: [{ label: 'service', value: 'smtp', componentId: t.component('smtp-relay'), level: 'major_outage' }] }, now);
  const row = t.db.select().from(s.alertSources).get()!;
  source = { id: row.id, slug: row.slug, name: row.name, rules: JSON.parse(row.rules) };
});
afterEach(() => t.close());

const receive = (name: string, at: number) => receiveAlerts(t.db, BOT, { source, alerts: parseAlerts('alertmanager', fixture(name), at) }, at);
const draftRow = () => t.db.select().from(s.incidents).where(eq(s.incidents.draft, true)).get();
const notes = (incidentId: number) => t.db.select().from(s.incidentNotes).where(eq(s.incidentNotes.incidentId, incidentId)).orderBy(asc(s.incidentNotes.id)).all().map((n) => n.body);

/** Every public place an incident can show up or count, as seen at `at`. */
function publicSightings(publicId: string, at: number) {
  const smtp = getComponentPage(t.db, 'smtp-relay', at);
  return {
    statusPage: getStatusPage(t.db, at).activeIncidents.some((i) => i.publicId === publicId),
    history: getHistoryPage(t.db, { page: 1, componentSlug: null }, at).months.some((m) => JSON.stringify(m).includes(publicId)),
    api: getIncidentsDocument(t.db, at, 'all').incidents.some((i) => i.id === publicId) || getSummaryDocument(t.db, at).incidents.some((i) => i.id === publicId),
    feeds: loadFeedEvents(t.db, loadSite(t.db), at).some((e) => e.publicId === publicId),
    page: orNotFound(() => getIncidentPage(t.db, publicId, at)) !== null,
    response: getUptimePage(t.db, null, at).response.compliance.outcomes.some((o) => o.incident.id === publicId),
    componentLevel: smtp.component.status,
  };
}

describe('alert drafts', () => {
  it('opens a draft with the detection time that is seen and counted nowhere in public', () => {
    const outcome = receive('alertmanager-firing.json', now);
    expect(outcome.opened).toHaveLength(1);
    const draft = draftRow()!;
    expect(draft).toMatchObject({ title: 'SMTP relay is refusing connections', impact: 'critical', detectedAt: FIRED, startedAt: FIRED, draft: true });
    expect(t.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, draft.id)).all()).toEqual([]);
    expect(publicSightings(draft.publicId, now + MIN)).toEqual({ statusPage: false, history: false, api: false, feeds: false, page: false, response: false, componentLevel: 'operational' });
    // Staff see it.
    expect(getIncidentPage(t.db, draft.publicId, now, 'staff').incident.draft).toBe(true);
  });

  it('does not open a second draft while the alert keeps firing, and turns its clearing into a private note', () => {
    receive('alertmanager-firing.json', now);
    expect(receive('alertmanager-firing.json', now + 5 * MIN).opened).toEqual([]);
    receive('alertmanager-resolved.json', CLEARED + MIN);
    const draft = draftRow()!;
    expect(notes(draft.id)).toEqual([
      'Opened as a draft from Prometheus: SMTP relay is refusing connections.',
      expect.stringMatching(/^Alert cleared at .+ \(Prometheus\): SMTP relay is refusing connections\.$/),
    ]);
    expect(JSON.parse(draft.proposedComponents!)).toEqual([{ componentId: t.component('smtp-relay'), level: 'major_outage', alertKey: '5f2c7a9e1b3d4c60', from: FIRED, to: CLEARED }]);
    expect(t.db.select().from(s.incidents).all().filter((i) => i.draft)).toHaveLength(1);
  });

  it('publishes with one click: public from then on, levels from detection, detection → first update measured', () => {
    receive('alertmanager-firing.json', now);
    const { publicId } = draftRow()!;
    const published = now + 12 * MIN;
    publishDraftIncident(t.db, EDITOR, publicId, {}, published);
    const page = getIncidentPage(t.db, publicId, published);
    expect(page.incident).toMatchObject({ draft: false, detectedAt: FIRED, firstUpdateAt: published, detectionToFirstUpdateMs: published - FIRED });
    expect(page.incident.durations.timeToFirstUpdate).toBe(published - FIRED);
    expect(page.incident.components[0]!.periods).toEqual([{ level: 'major_outage', startedAt: FIRED, endedAt: null }]);
    expect(page.updates[0]!.componentChanges).toEqual([{ componentId: t.component('smtp-relay'), name: 'SMTP relay', oldStatus: 'operational', newStatus: 'major_outage' }]);
    expect(publicSightings(publicId, published + MIN)).toMatchObject({ statusPage: true, api: true, feeds: true, page: true, response: true, componentLevel: 'major_outage' });
    expect(thrown(() => publishDraftIncident(t.db, EDITOR, publicId, {}, published))).toBeInstanceOf(Conflict);
  });

  it('publishes a draft whose alert already cleared with the impact ended at the clearing', () => {
    receive('alertmanager-firing.json', now);
    receive('alertmanager-resolved.json', CLEARED + MIN);
    const { publicId } = draftRow()!;
    publishDraftIncident(t.db, EDITOR, publicId, {}, CLEARED + 2 * MIN);
    const { incident } = getIncidentPage(t.db, publicId, CLEARED + 2 * MIN);
    expect(incident).toMatchObject({ impactEndedAt: CLEARED, mitigatedAt: CLEARED, status: 'investigating' });
    expect(incident.components[0]!.periods).toEqual([{ level: 'major_outage', startedAt: FIRED, endedAt: CLEARED }]);
  });

  it('after publication, a cleared alert only adds a note: levels stay staff’s to change', () => {
    receive('alertmanager-firing.json', now);
    const draft = draftRow()!;
    publishDraftIncident(t.db, EDITOR, draft.publicId, {}, now + MIN);
    receive('alertmanager-resolved.json', CLEARED + MIN);
    expect(getIncidentPage(t.db, draft.publicId, CLEARED + MIN).incident.components[0]!.periods[0]!.endedAt).toBeNull();
    expect(notes(draft.id).at(-1)).toMatch(/^Alert cleared at/);
  });
});
