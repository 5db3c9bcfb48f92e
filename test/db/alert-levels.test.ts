// Automatic component levels from alerts, per component and off by default: with it on, a firing
// alert a rule maps to the component sets the component's level by itself and clearing restores
// it, for every sender's shape (the recorded fixtures); audited; with it off nothing public moves.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import { parseAlerts, type AlertSourceKind } from '../../src/server/alerts/parse-alerts.ts';
import { createAlertSource } from '../../src/server/commands/alert-sources.ts';
import { setComponentAlertLevels } from '../../src/server/commands/component-alert-levels.ts';
import { postIncidentUpdate } from '../../src/server/commands/post-incident-update.ts';
import { publishDraftIncident } from '../../src/server/commands/publish-draft-incident.ts';
import { receiveAlerts, type AlertSourceRow } from '../../src/server/commands/receive-alerts.ts';
import { getComponentPage } from '../../src/server/component-page.ts';
import { getStatusPage } from '../../src/server/status-page.ts';
import { Forbidden } from '../../src/server/errors.ts';
import { EDITOR, openCommandDb, OWNER, thrown, type CommandDb } from '../support/command-db.ts';

const now = Date.parse('2026-12-03T09:00:00Z');
const MIN = 60_000;
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.resolve('test/fixtures/alerts', name), 'utf8')) as Record<string, unknown>;
const BOT = { actor: { userId: null, tokenId: null, label: 'alert-source:monitoring' }, role: 'editor' as const };

/** The same alert, cleared, in each sender's own words (where no cleared fixture was recorded). */
function grafanaResolved() {
  const body = fixture('grafana-firing.json') as { status: string; alerts: { status: string; endsAt: string }[] };
  body.status = 'resolved';
  body.alerts[0]!.status = 'resolved';
  body.alerts[0]!.endsAt = '2026-12-03T06:40:00Z';
  return body;
}
function genericResolved() {
  return { key: 'bounce-rate-high', status: 'resolved', title: 'Bounce rate above 8%', labels: { component: 'send-api' }, started_at: '2026-12-03T04:30:00Z', ended_at: '2026-12-03T05:10:00Z' };
}

const CASES: { kind: AlertSourceKind; slug: string; rule: { label: string; value: string }; firing: unknown; cleared: unknown }[] = [
  { kind: 'alertmanager', slug: 'smtp-relay', rule: { label: 'service', value: 'smtp' }, firing: fixture('alertmanager-firing.json'), cleared: fixture('alertmanager-resolved.json') },
  { kind: 'grafana', slug: 'webhooks', rule: { label: 'team', value: 'webhooks' }, firing: fixture('grafana-firing.json'), cleared: grafanaResolved() },
  { kind: 'uptime_kuma', slug: 'admin-console', rule: { label: 'monitor', value: 'Admin console' }, firing: fixture('uptime-kuma-down.json'), cleared: fixture('uptime-kuma-up.json') },
  { kind: 'generic', slug: 'send-api', rule: { label: 'component', value: 'send-api' }, firing: fixture('generic.json'), cleared: genericResolved() },
];

let t: CommandDb;
afterEach(() => t?.close());

function setUp(c: (typeof CASES)[number]): AlertSourceRow {
  t = openCommandDb(now);
  createAlertSource(t.db, OWNER, { name: 'Monitoring', slug: 'monitoring', kind: c.kind, rules: [{ ...c.rule, componentId: t.component(c.slug), level: 'major_outage' }] }, now);
  const row = t.db.select().from(s.alertSources).get()!;
  return { id: row.id, slug: row.slug, name: row.name, rules: JSON.parse(row.rules) };
}
const levelOf = (slug: string, at: number) => getComponentPage(t.db, slug, at).component.status;

describe.each(CASES)('automatic levels from $kind alerts', (c) => {
  it('sets the level while the alert fires and restores it when it clears, with the reason shown', () => {
    const source = setUp(c);
    const before = levelOf(c.slug, now);
    setComponentAlertLevels(t.db, OWNER, t.component(c.slug), { enabled: true }, now);
    const fired = receiveAlerts(t.db, BOT, { source, alerts: parseAlerts(c.kind, c.firing, now) }, now);
    expect(fired.levelsSet).toEqual([{ component: t.component(c.slug), level: 'major_outage' }]);
    expect(levelOf(c.slug, now + MIN)).toBe('major_outage');
    // The public page explains the level while the incident is still a draft.
    const entry = getStatusPage(t.db, now + MIN).tree.flatMap((e) => (e.kind === 'group' ? e.components : [e.component])).find((x) => x.slug === c.slug)!;
    expect(entry.monitoringSince).not.toBeNull();
    const draft = t.db.select().from(s.incidents).where(eq(s.incidents.draft, true)).get()!;
    expect(getComponentPage(t.db, c.slug, now + MIN).component.bars.flatMap((b) => b.incidentIds)).not.toContain(draft.publicId);

    const later = now + 30 * MIN;
    const cleared = receiveAlerts(t.db, BOT, { source, alerts: parseAlerts(c.kind, c.cleared, later) }, later);
    expect(cleared.levelsRestored).toEqual([t.component(c.slug)]);
    expect(levelOf(c.slug, later + MIN)).toBe(before);
    const audit = t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'alerts.receive')).all().map((a) => JSON.parse(a.after!));
    expect(audit[0].levelsSet).toEqual([{ component: t.component(c.slug), level: 'major_outage' }]);
    expect(audit[1].levelsRestored).toEqual([t.component(c.slug)]);
  });

  it('changes nothing public when the component keeps the default (off)', () => {
    const source = setUp(c);
    const before = levelOf(c.slug, now);
    const fired = receiveAlerts(t.db, BOT, { source, alerts: parseAlerts(c.kind, c.firing, now) }, now);
    expect(fired.levelsSet).toEqual([]);
    expect(levelOf(c.slug, now + MIN)).toBe(before);
  });
});

describe('automatic levels and staff', () => {
  it('is off by default, owners only, audited', () => {
    const source = setUp(CASES[0]!);
    expect(t.db.select().from(s.components).all().every((row) => row.alertLevels === false)).toBe(true);
    expect(thrown(() => setComponentAlertLevels(t.db, EDITOR, t.component('smtp-relay'), { enabled: true }, now))).toBeInstanceOf(Forbidden);
    setComponentAlertLevels(t.db, OWNER, t.component('smtp-relay'), { enabled: true }, now);
    const entry = t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'component.alert_levels')).get()!;
    expect(JSON.parse(entry.after!)).toEqual({ alertLevels: true });
    expect(source.rules).toHaveLength(1);
  });

  it('publishing keeps the level the alert set (one period, not two) and the first update names it', () => {
    const source = setUp(CASES[0]!);
    setComponentAlertLevels(t.db, OWNER, t.component('smtp-relay'), { enabled: true }, now);
    receiveAlerts(t.db, BOT, { source, alerts: parseAlerts('alertmanager', CASES[0]!.firing, now) }, now);
    const draft = t.db.select().from(s.incidents).where(eq(s.incidents.draft, true)).get()!;
    publishDraftIncident(t.db, EDITOR, draft.publicId, {}, now + 5 * MIN);
    expect(t.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, draft.id)).all()).toHaveLength(1);
    expect(t.db.select().from(s.incidentUpdateComponents).all().filter((u) => u.newStatus === 'major_outage').length).toBeGreaterThan(0);
    // Clearing after publication restores the level and ends the customer impact with it.
    receiveAlerts(t.db, BOT, { source, alerts: parseAlerts('alertmanager', fixture('alertmanager-resolved.json'), now + 40 * MIN) }, now + 40 * MIN);
    const published = t.db.select().from(s.incidents).where(eq(s.incidents.id, draft.id)).get()!;
    const period = t.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.incidentId, draft.id)).get()!;
    expect(period.endedAt).not.toBeNull();
    expect(published.impactEndedAt).toBe(period.endedAt);
  });
});

describe('automatic levels from several alerts on one component', () => {
  /** A generic source with rules for send-api: `warning` → partial outage, `critical` → major outage. */
  function genericSource(): AlertSourceRow {
    t = openCommandDb(now);
    const component = t.component('send-api');
    createAlertSource(t.db, OWNER, {
      name: 'Monitoring',
      slug: 'monitoring',
      kind: 'generic',
      rules: [
        { label: 'severity', value: 'warning', componentId: component, level: 'partial_outage' },
        { label: 'severity', value: 'critical', componentId: component, level: 'major_outage' },
      ],
    }, now);
    setComponentAlertLevels(t.db, OWNER, component, { enabled: true }, now);
    const row = t.db.select().from(s.alertSources).get()!;
    return { id: row.id, slug: row.slug, name: row.name, rules: JSON.parse(row.rules) };
  }
  const alert = (key: string, severity: string, firing: boolean, at: number, startedAt = now - 5 * MIN) =>
    parseAlerts('generic', { key, status: firing ? 'firing' : 'resolved', title: key, labels: { component: 'send-api', severity }, started_at: new Date(startedAt).toISOString(), ...(firing ? {} : { ended_at: new Date(at).toISOString() }) }, at);
  const periods = () => t.db.select().from(s.impactPeriods).where(eq(s.impactPeriods.componentId, t.db.select().from(s.components).where(eq(s.components.slug, 'send-api')).get()!.id)).all().filter((p) => p.incidentId !== null && t.db.select().from(s.alerts).all().some((a) => a.incidentId === p.incidentId));
  const updatedAt = () => t.db.select().from(s.siteSettings).get()!.updatedAt;

  it('keeps the level while another alert on the component still fires, and restores it when the last clears', () => {
    const source = genericSource();
    const before = levelOf('send-api', now);
    receiveAlerts(t.db, BOT, { source, alerts: [...alert('a', 'critical', true, now), ...alert('b', 'critical', true, now)] }, now);
    expect(levelOf('send-api', now + MIN)).toBe('major_outage');

    const first = now + 10 * MIN;
    const cleared = receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'critical', false, first) }, first);
    expect(cleared.levelsRestored).toEqual([]);
    expect(levelOf('send-api', first + MIN)).toBe('major_outage');

    const last = now + 20 * MIN;
    const restored = receiveAlerts(t.db, BOT, { source, alerts: alert('b', 'critical', false, last) }, last);
    expect(restored.levelsRestored).toEqual([t.component('send-api')]);
    expect(levelOf('send-api', last + MIN)).toBe(before);
    expect(periods().map((p) => [p.level, p.endedAt])).toEqual([['major_outage', last]]);
  });

  it('a second alert at a worse level raises the level, and its clearing goes back to the remaining alert’s', () => {
    const source = genericSource();
    const before = levelOf('send-api', now);
    receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'warning', true, now) }, now);
    expect(levelOf('send-api', now + MIN)).toBe('partial_outage');

    // Alertmanager-style: the group is re-sent with the new alert in it.
    const worse = now + 10 * MIN;
    const raised = receiveAlerts(t.db, BOT, { source, alerts: [...alert('a', 'warning', true, worse), ...alert('b', 'critical', true, worse, worse)] }, worse);
    expect(raised.levelsSet).toEqual([{ component: t.component('send-api'), level: 'major_outage' }]);
    expect(levelOf('send-api', worse + MIN)).toBe('major_outage');

    const better = now + 20 * MIN;
    const lowered = receiveAlerts(t.db, BOT, { source, alerts: alert('b', 'critical', false, better, worse) }, better);
    expect(lowered).toMatchObject({ levelsSet: [{ component: t.component('send-api'), level: 'partial_outage' }], levelsRestored: [] });
    expect(levelOf('send-api', better + MIN)).toBe('partial_outage');

    const end = now + 30 * MIN;
    receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'warning', false, end) }, end);
    expect(levelOf('send-api', end + MIN)).toBe(before);
    // One incident, its level history in periods: partial, then major while b fired, then partial.
    expect(new Set(periods().map((p) => p.incidentId)).size).toBe(1);
    expect(periods().map((p) => [p.level, p.startedAt, p.endedAt])).toEqual([
      ['partial_outage', now - 5 * MIN, worse],
      ['major_outage', worse, better],
      ['partial_outage', better, end],
    ]);
  });

  it('a level staff set is left alone by a worse alert and by the alerts clearing', () => {
    const source = genericSource();
    receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'warning', true, now) }, now);
    const draft = t.db.select().from(s.incidents).where(eq(s.incidents.draft, true)).get()!;
    publishDraftIncident(t.db, EDITOR, draft.publicId, {}, now + MIN);
    postIncidentUpdate(t.db, EDITOR, draft.publicId, { status: 'identified', message: 'Degraded only.', components: [{ componentId: t.component('send-api'), level: 'degraded_performance' }] }, now + 2 * MIN);
    const later = now + 10 * MIN;
    const fired = receiveAlerts(t.db, BOT, { source, alerts: [...alert('a', 'warning', true, later), ...alert('b', 'critical', true, later, later)] }, later);
    expect(fired.levelsSet).toEqual([]);
    expect(levelOf('send-api', later + MIN)).toBe('degraded_performance');
    const end = now + 20 * MIN;
    const cleared = receiveAlerts(t.db, BOT, { source, alerts: [...alert('a', 'warning', false, end), ...alert('b', 'critical', false, end, later)] }, end);
    expect(cleared).toMatchObject({ levelsSet: [], levelsRestored: [] });
    expect(levelOf('send-api', end + MIN)).toBe('degraded_performance');
  });

  it('a re-sent firing alert that changes no level leaves the public last-change time alone', () => {
    const source = genericSource();
    receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'critical', true, now) }, now);
    expect(updatedAt()).toBe(now);
    const heartbeat = now + 5 * MIN;
    const outcome = receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'critical', true, heartbeat) }, heartbeat);
    expect(outcome).toMatchObject({ levelsSet: [], levelsRestored: [] });
    expect(updatedAt()).toBe(now);
    // A clear that ends the public level is public, even after automatic levels were switched off.
    setComponentAlertLevels(t.db, OWNER, t.component('send-api'), { enabled: false }, heartbeat);
    const end = now + 10 * MIN;
    const cleared = receiveAlerts(t.db, BOT, { source, alerts: alert('a', 'critical', false, end) }, end);
    expect(cleared.levelsRestored).toEqual([t.component('send-api')]);
    expect(updatedAt()).toBe(end);
  });
});
