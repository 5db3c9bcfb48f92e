import { describe, expect, it } from 'vitest';
import {
  iso,
  serialiseComponents,
  serialiseIncident,
  serialiseMaintenance,
  serialisePage,
  serialiseStatus,
  type ComponentRecord,
  type GroupRecord,
} from '../../../src/server/api/status-api-objects.ts';
import type { IncidentSummary, UpdateView } from '../../../src/server/incidents.ts';
import type { MaintenanceSummary } from '../../../src/server/maintenance.ts';
import type { Site } from '../../../src/server/site.ts';

const T = Date.UTC(2026, 9, 4, 12, 0);
const site: Site = {
  publicId: 'site00000001',
  name: 'Acme',
  url: 'https://status.acme.test',
  timeZone: 'Europe/Amsterdam',
  accentColor: '#2f5fd0',
  historyDays: 90,
  defaultSlaPolicyId: null,
  dataVersion: 3,
  updatedAt: T,
};

const component = (id: number, over: Partial<ComponentRecord> = {}): ComponentRecord => ({
  id,
  publicId: `comp0000000${id}`,
  name: `Component ${id}`,
  description: null,
  status: 'operational',
  groupId: null,
  position: id,
  startDate: null,
  showcase: true,
  onlyShowIfDegraded: false,
  createdAt: T,
  updatedAt: T,
  ...over,
});
const group = (id: number, position: number): GroupRecord => ({
  id,
  publicId: `group${String(id).padStart(7, '0')}`,
  name: `Group ${id}`,
  description: 'd',
  position,
  createdAt: T,
  updatedAt: T,
});

describe('serialisePage and serialiseStatus', () => {
  it('writes the page with ISO milliseconds', () => {
    expect(serialisePage(site, T + 1)).toEqual({
      id: 'site00000001',
      name: 'Acme',
      url: 'https://status.acme.test',
      time_zone: 'Europe/Amsterdam',
      updated_at: '2026-10-04T12:00:00.001Z',
    });
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('derives the indicator from components, standard wording', () => {
    expect(serialiseStatus([])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(serialiseStatus([component(1, { status: 'major_outage' }), component(2)])).toEqual({
      indicator: 'major',
      description: 'Partial System Outage',
    });
  });
});

describe('serialiseComponents', () => {
  // Top level: ungrouped 1 (pos 1), group 10 (pos 2) with 3 and 2, ungrouped 4 (pos 3); group 11 empty (pos 4).
  const components = [
    component(1, { position: 1 }),
    component(2, { groupId: 10, position: 2, status: 'partial_outage', updatedAt: T + 5 }),
    component(3, { groupId: 10, position: 1 }),
    component(4, { position: 3, startDate: '2025-01-02' }),
  ];
  const list = serialiseComponents([group(10, 2), group(11, 4)], components, site.publicId);

  it('lists groups as ordinary members followed by their children', () => {
    expect(list.map((c) => c.id)).toEqual(['comp00000001', 'group0000010', 'comp00000003', 'comp00000002', 'comp00000004', 'group0000011']);
  });

  it('numbers positions from 1 among siblings', () => {
    expect(list.map((c) => c.position)).toEqual([1, 2, 1, 2, 3, 4]);
  });

  it('links children and groups both ways and rolls status up', () => {
    const g = list.find((c) => c.id === 'group0000010')!;
    expect(g).toMatchObject({ group: true, group_id: null, components: ['comp00000003', 'comp00000002'], status: 'partial_outage' });
    expect(g.updated_at).toBe(iso(T + 5));
    expect(list.find((c) => c.id === 'comp00000002')).toMatchObject({ group: false, group_id: 'group0000010' });
    expect(list.find((c) => c.id === 'group0000011')).toMatchObject({ components: [], status: 'operational' });
  });

  it('puts `components` on groups only and every standard field on all', () => {
    const keys = ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded'];
    for (const c of list) {
      expect(Object.keys(c).sort()).toEqual((c.group ? [...keys, 'components'] : keys).sort());
      expect(c.page_id).toBe(site.publicId);
    }
    expect(list.find((c) => c.id === 'comp00000004')!.start_date).toBe('2025-01-02');
  });
});

const updateView = (over: Partial<UpdateView>): UpdateView => ({
  publicId: 'upd000000001',
  kind: 'update',
  status: 'investigating',
  bodyMd: '**Looking** into it',
  bodyHtml: '<p><strong>Looking</strong> into it</p>',
  displayAt: T,
  createdAt: T,
  updatedAt: T,
  editedAt: null,
  origin: 'staff',
  componentChanges: [],
  revisions: [],
  ...over,
});

describe('serialiseIncident', () => {
  const summary = {
    id: 7,
    publicId: 'inc000000001',
    title: 'Outage',
    impact: 'major',
    status: 'monitoring',
    startedAt: T - 60_000,
    mitigatedAt: T + 1000,
    mitigationWording: 'failover',
    impactEndedAt: null,
    monitoringAt: T + 2000,
    resolvedAt: null,
    createdAt: T,
    updatedAt: T + 2000,
    firstUpdateAt: T,
    detectedAt: null,
    detectionToFirstUpdateMs: null,
    importedFrom: null,
    draft: false,
    latestUpdate: null,
    updates: [],
    components: [{ id: 1, publicId: 'comp00000001', slug: 'c1', name: 'Component 1', slaPolicyId: null, worst: 'major_outage', current: 'major_outage', periods: [] }],
    durations: { failover: { ms: 0, ongoing: false }, customerImpact: { ms: 0, ongoing: true }, impactAfterFailover: null, timeToFirstUpdate: 0 },
    shownDurations: { failover: { ms: 0, ongoing: false }, customerImpact: { ms: 0, ongoing: true }, impactAfterFailover: null, timeToFirstUpdate: 0 },
    recordedImpact: true,
    impactClass: { badge: 'Major impact', note: null },
  } satisfies IncidentSummary;
  const components = serialiseComponents([], [component(1, { status: 'major_outage' })], site.publicId);
  const byId = new Map(components.map((c) => [c.id, c]));

  it('maps fields, timeline extras and the shortlink', () => {
    const out = serialiseIncident(summary, [], byId, site);
    expect(out).toMatchObject({
      id: 'inc000000001',
      name: 'Outage',
      status: 'monitoring',
      impact: 'major',
      shortlink: 'https://status.acme.test/incidents/inc000000001',
      started_at: iso(T - 60_000),
      monitoring_at: iso(T + 2000),
      resolved_at: null,
      mitigated_at: iso(T + 1000),
      impact_ended_at: null,
      page_id: site.publicId,
    });
    expect(out.components).toEqual([byId.get('comp00000001')]);
  });

  it('writes updates with markdown bodies and affected components or null', () => {
    const out = serialiseIncident(
      summary,
      [
        updateView({ publicId: 'upd000000002', status: 'monitoring', componentChanges: [{ componentId: 'comp00000001', name: 'Component 1', oldStatus: 'major_outage', newStatus: 'partial_outage' }] }),
        updateView({}),
      ],
      byId,
      site,
    );
    expect(out.incident_updates[0]).toEqual({
      id: 'upd000000002',
      status: 'monitoring',
      body: '**Looking** into it',
      incident_id: 'inc000000001',
      created_at: iso(T),
      updated_at: iso(T),
      display_at: iso(T),
      affected_components: [{ code: 'comp00000001', name: 'Component 1', old_status: 'major_outage', new_status: 'partial_outage' }],
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    });
    expect(out.incident_updates[1]!.affected_components).toBeNull();
  });
});

describe('serialiseMaintenance', () => {
  const base: MaintenanceSummary = {
    id: 3,
    publicId: 'mnt000000001',
    title: 'Upgrade',
    status: 'verifying',
    scheduledStart: T,
    scheduledEnd: T + 7_200_000,
    actualStart: T + 60_000,
    actualEnd: null,
    verifyingAt: T + 3_600_000,
    announcedAt: T - 86_400_000,
    createdAt: T - 86_400_000,
    updatedAt: T + 3_600_000,
    components: [],
    updates: [{ publicId: 'mup000000001', status: 'verifying', bodyMd: 'Checking', bodyHtml: '<p>Checking</p>', displayAt: T, createdAt: T, updatedAt: T }],
  };

  it('is the incident shape plus the window; verifying is monitoring_at', () => {
    const out = serialiseMaintenance(base, new Map(), site);
    expect(out).toMatchObject({
      status: 'verifying',
      impact: 'maintenance',
      scheduled_for: iso(T),
      scheduled_until: iso(T + 7_200_000),
      started_at: iso(T + 60_000),
      monitoring_at: iso(T + 3_600_000),
      resolved_at: null,
      shortlink: 'https://status.acme.test/maintenance/mnt000000001',
      cancelled: false,
    });
    expect(out.incident_updates[0]).toMatchObject({ incident_id: 'mnt000000001', affected_components: null });
  });

  it('reports a completed window as resolved at its actual end', () => {
    const out = serialiseMaintenance({ ...base, status: 'completed', actualEnd: T + 5_000_000 }, new Map(), site);
    expect(out).toMatchObject({ status: 'completed', resolved_at: iso(T + 5_000_000), cancelled: false });
  });

  it('speaks the standard enum for a cancelled window and says it was cancelled', () => {
    const cancelled = {
      ...base,
      status: 'cancelled' as const,
      actualStart: null,
      verifyingAt: null,
      updates: [{ ...base.updates[0]!, status: 'cancelled' as const, bodyMd: 'Called off' }],
    };
    const out = serialiseMaintenance(cancelled, new Map(), site);
    expect(out).toMatchObject({ status: 'completed', cancelled: true, resolved_at: iso(base.updatedAt), started_at: iso(T) });
    expect(out.incident_updates[0]!.status).toBe('completed');
  });
});
