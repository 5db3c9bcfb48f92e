// Components, groups, their order, SLA policies and site settings: every change audited, every
// bad field named, nothing written on refusal, and the role rules.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import type { Authority } from '../../src/server/commands/authority.ts';
import { createComponent, updateComponent, type ComponentInput } from '../../src/server/commands/components.ts';
import { createGroup, updateGroup } from '../../src/server/commands/groups.ts';
import { createPolicy, updatePolicy, type PolicyInput } from '../../src/server/commands/policies.ts';
import { reorderComponents } from '../../src/server/commands/reorder-components.ts';
import { updateSiteSettings, type SettingsInput } from '../../src/server/commands/settings.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/server/errors.ts';
import { loadSite, loadSlaPolicies } from '../../src/server/site.ts';
import { getStatusPage } from '../../src/server/status-page.ts';
import { EDITOR, openCommandDb, OWNER, thrown, VIEWER, type CommandDb } from '../support/command-db.ts';

const now = Date.UTC(2025, 5, 2, 9, 0);
let t: CommandDb;

beforeEach(() => {
  t = openCommandDb(now);
});
afterEach(() => t.close());

const groups = () => t.db.select().from(s.componentGroups).orderBy(asc(s.componentGroups.position)).all();
const componentBySlug = (slug: string) => t.db.select().from(s.components).where(eq(s.components.slug, slug)).get();
const lastAudit = () => t.db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all().at(-1)!;

function fieldsOf(fn: () => unknown): Record<string, string> {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(Invalid);
  return (error as Invalid).fields;
}

const component = (over: Partial<ComponentInput> = {}): ComponentInput => ({
  name: 'Billing API',
  slug: 'billing-api',
  description: 'Invoices and payment methods.',
  group: '',
  startDate: '2024-03-01',
  slaPolicy: '',
  ...over,
});

/** The page's top-level order, as names. */
const topLevelNames = () =>
  getStatusPage(t.db, now).tree.map((entry) => (entry.kind === 'group' ? entry.group.name : entry.component.name));

describe('createComponent', () => {
  it('creates a component at the end of the page and audits it', () => {
    const before = t.counts();
    const publicId = createComponent(t.db, EDITOR, component(), now);
    const row = componentBySlug('billing-api')!;
    expect(row).toMatchObject({ publicId, name: 'Billing API', startDate: '2024-03-01', groupId: null, slaPolicyId: null });
    expect(topLevelNames().at(-1)).toBe('Billing API');
    expect(lastAudit()).toMatchObject({ action: 'component.create', entityId: publicId, actorLabel: 'editor@example.test' });
    expect(t.counts().dataVersion).toBe(before.dataVersion! + 1);
  });

  it('puts it last in a chosen group, with a chosen policy', () => {
    const group = groups()[0]!;
    const policy = [...loadSlaPolicies(t.db).values()][1]!;
    createComponent(t.db, EDITOR, component({ group: group.publicId, slaPolicy: policy.publicId }), now);
    const row = componentBySlug('billing-api')!;
    const siblings = t.db.select().from(s.components).where(eq(s.components.groupId, group.id)).all();
    expect(row.groupId).toBe(group.id);
    expect(row.slaPolicyId).toBe(policy.id);
    expect(row.position).toBe(Math.max(...siblings.map((c) => c.position)));
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ slug: 'Billing API' }, 'slug'],
    [{ slug: '-billing' }, 'slug'],
    [{ slug: 'send-api' }, 'slug'], // taken by the demo
    [{ startDate: '2024-02-30' }, 'startDate'],
    [{ startDate: '1/3/2024' }, 'startDate'],
    [{ group: 'nosuchgroup0' }, 'group'],
    [{ slaPolicy: 'nosuchpolicy' }, 'slaPolicy'],
    [{ description: 'x'.repeat(501) }, 'description'],
  ])('refuses %j on field %s and writes nothing', (over, field) => {
    const before = t.counts();
    expect(Object.keys(fieldsOf(() => createComponent(t.db, EDITOR, component(over), now)))).toContain(field);
    expect(t.counts()).toEqual(before);
  });

  it('reports several bad references at once', () => {
    expect(fieldsOf(() => createComponent(t.db, EDITOR, component({ group: 'nope', slaPolicy: 'nope', slug: 'webhooks' }), now))).toEqual({
      group: expect.any(String),
      slaPolicy: expect.any(String),
      slug: expect.any(String),
    });
  });

  it('is refused to viewers', () => {
    expect(thrown(() => createComponent(t.db, VIEWER, component(), now))).toBeInstanceOf(Forbidden);
  });
});

describe('updateComponent', () => {
  it('edits fields, keeps its own slug valid, and audits before → after', () => {
    const row = componentBySlug('webhooks')!;
    updateComponent(t.db, EDITOR, row.publicId, component({ name: 'Event webhooks', slug: 'webhooks', group: '' }), now);
    const after = componentBySlug('webhooks')!;
    expect(after).toMatchObject({ name: 'Event webhooks', groupId: null });
    const entry = lastAudit();
    expect(JSON.parse(entry.before!).name).toBe('Webhooks');
    expect(JSON.parse(entry.after!).name).toBe('Event webhooks');
    expect(topLevelNames().at(-1)).toBe('Event webhooks'); // moved out of its group: last on the page
  });

  it('refuses another component\'s slug and an unknown component', () => {
    const row = componentBySlug('webhooks')!;
    expect(fieldsOf(() => updateComponent(t.db, EDITOR, row.publicId, component({ slug: 'send-api' }), now))).toHaveProperty('slug');
    expect(thrown(() => updateComponent(t.db, EDITOR, 'nosuchthing0', component(), now))).toBeInstanceOf(NotFound);
  });
});

describe('groups', () => {
  it('creates a group last on the page and edits it', () => {
    const publicId = createGroup(t.db, EDITOR, { name: 'Receiving', description: '' }, now);
    createComponent(t.db, EDITOR, component({ group: publicId }), now);
    expect(topLevelNames().at(-1)).toBe('Receiving');
    updateGroup(t.db, EDITOR, publicId, { name: 'Inbound', description: 'Mail coming in.' }, now);
    expect(t.db.select().from(s.componentGroups).where(eq(s.componentGroups.publicId, publicId)).get()).toMatchObject({ name: 'Inbound', description: 'Mail coming in.' });
    expect(lastAudit().action).toBe('group.update');
  });

  it('refuses an empty name, viewers and unknown groups', () => {
    expect(fieldsOf(() => createGroup(t.db, EDITOR, { name: ' ', description: '' }, now))).toHaveProperty('name');
    expect(thrown(() => createGroup(t.db, VIEWER, { name: 'X', description: '' }, now))).toBeInstanceOf(Forbidden);
    expect(thrown(() => updateGroup(t.db, EDITOR, 'nosuchgroup0', { name: 'X', description: '' }, now))).toBeInstanceOf(NotFound);
  });
});

describe('reorderComponents', () => {
  it('moves top-level entries (groups and ungrouped components share one order)', () => {
    const before = topLevelNames();
    const last = componentBySlug('statistics')!;
    reorderComponents(t.db, EDITOR, { kind: 'component', publicId: last.publicId, direction: 'up' }, now);
    const after = topLevelNames();
    expect(after).toEqual([...before.slice(0, -2), before.at(-1), before.at(-2)]);
    const group = groups()[0]!;
    reorderComponents(t.db, EDITOR, { kind: 'group', publicId: group.publicId, direction: 'down' }, now);
    expect(topLevelNames()[1]).toBe(group.name);
    expect(lastAudit()).toMatchObject({ action: 'group.move', before: '{"position":1}', after: '{"position":2}' });
  });

  it('moves a component inside its group, and does nothing at the edge', () => {
    const group = groups()[0]!;
    const members = () => t.db.select().from(s.components).where(eq(s.components.groupId, group.id)).orderBy(asc(s.components.position)).all().map((c) => c.slug);
    const [first, second] = members();
    reorderComponents(t.db, EDITOR, { kind: 'component', publicId: componentBySlug(second!)!.publicId, direction: 'up' }, now);
    expect(members().slice(0, 2)).toEqual([second, first]);
    const version = t.counts().dataVersion;
    reorderComponents(t.db, EDITOR, { kind: 'component', publicId: componentBySlug(second!)!.publicId, direction: 'up' }, now);
    expect(members().slice(0, 2)).toEqual([second, first]);
    expect(t.counts().dataVersion).toBe(version! + 1); // a transaction ran, but nothing moved
  });

  it('refuses viewers, unknown ids and bad directions', () => {
    const c = componentBySlug('statistics')!;
    expect(thrown(() => reorderComponents(t.db, VIEWER, { kind: 'component', publicId: c.publicId, direction: 'up' }, now))).toBeInstanceOf(Forbidden);
    expect(thrown(() => reorderComponents(t.db, EDITOR, { kind: 'component', publicId: 'nosuchthing0', direction: 'up' }, now))).toBeInstanceOf(NotFound);
    expect(thrown(() => reorderComponents(t.db, EDITOR, { kind: 'component', publicId: c.publicId, direction: 'sideways' }, now))).toBeInstanceOf(Invalid);
  });
});

const policy = (over: PolicyInput = {}): PolicyInput => ({
  name: 'Gold',
  availabilityTarget: '99.95',
  tierBelow0: '99.95',
  tierCredit0: '10',
  tierBelow1: '99,5',
  tierCredit1: '25',
  weightMajor: '1',
  weightPartial: '0.5',
  weightDegraded: '0.1',
  weightMaintenance: '1',
  noticeDays: '14',
  maxHours: '4',
  maxPerYear: '',
  allowedDays: ['6', '7'],
  targetCritical: '60',
  targetMajor: '120',
  targetMinor: '',
  complianceTarget: '95',
  ...over,
});

describe('SLA policies', () => {
  it('stores percentages as fractions and the structured fields as JSON the read model understands', () => {
    const publicId = createPolicy(t.db, OWNER, policy(), now);
    const loaded = [...loadSlaPolicies(t.db).values()].find((p) => p.publicId === publicId)!;
    expect(loaded).toMatchObject({
      name: 'Gold',
      availabilityTarget: 0.9995,
      creditTiers: [{ below: 0.9995, creditPercent: 10 }, { below: 0.995, creditPercent: 25 }],
      weights: { major_outage: 1, partial_outage: 0.5, degraded_performance: 0.1, under_maintenance: 1 },
      maintenanceNoticeDays: 14,
      maintenanceMaxHours: 4,
      maintenanceMaxPerYear: null,
      maintenanceAllowedDays: [6, 7],
      responseTargets: { critical: 60, major: 120 },
      responseComplianceTarget: 0.95,
    });
    updatePolicy(t.db, OWNER, publicId, policy({ name: 'Platinum', allowedDays: [] }), now);
    const updated = [...loadSlaPolicies(t.db).values()].find((p) => p.publicId === publicId)!;
    expect(updated).toMatchObject({ name: 'Platinum', maintenanceAllowedDays: null });
    expect(JSON.parse(lastAudit().before!).name).toBe('Gold');
  });

  it.each([
    [{ availabilityTarget: '101' }, 'availabilityTarget'],
    [{ availabilityTarget: 'lots' }, 'availabilityTarget'],
    [{ tierBelow0: '99.99' }, 'tierBelow0'], // above the target
    [{ tierCredit0: '' }, 'tierCredit0'],
    [{ tierCredit1: '5' }, 'tierCredit1'], // less credit for worse availability
    [{ tierBelow1: '99.95' }, 'tierBelow1'],
    [{ weightPartial: '2' }, 'weightPartial'],
    [{ weightDegraded: '0.9' }, 'weightDegraded'],
    [{ noticeDays: '1.5' }, 'noticeDays'],
    [{ maxHours: '0' }, 'maxHours'],
    [{ targetMinor: '-5' }, 'targetMinor'],
    [{ allowedDays: ['8'] }, 'allowedDays.0'],
    [{ complianceTarget: '' }, 'complianceTarget'],
  ])('refuses %j on %s and writes nothing', (over, field) => {
    const before = t.counts();
    expect(Object.keys(fieldsOf(() => createPolicy(t.db, OWNER, policy(over), now)))).toContain(field);
    expect(t.counts()).toEqual(before);
  });

  it('is for owners only', () => {
    expect(thrown(() => createPolicy(t.db, EDITOR, policy(), now))).toBeInstanceOf(Forbidden);
  });
});

const settings = (over: Partial<SettingsInput> = {}): SettingsInput => ({
  name: 'Acme status',
  url: 'https://status.acme.example/',
  timeZone: 'America/New_York',
  accentColor: '#AA3300',
  historyDays: '60',
  defaultSlaPolicy: '',
  requireTotp: false,
  ...over,
});

describe('updateSiteSettings', () => {
  it('saves validated settings and audits before → after', () => {
    updateSiteSettings(t.db, OWNER, settings(), now);
    expect(loadSite(t.db)).toMatchObject({ name: 'Acme status', url: 'https://status.acme.example', timeZone: 'America/New_York', accentColor: '#aa3300', historyDays: 60, defaultSlaPolicyId: null });
    const entry = lastAudit();
    expect(entry.action).toBe('site.update');
    expect(JSON.parse(entry.before!).name).toBe('Postwise');
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ url: 'status.acme.example' }, 'url'],
    [{ url: 'javascript:alert(1)' }, 'url'],
    [{ url: 'https://user:pw@acme.example' }, 'url'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ accentColor: 'red' }, 'accentColor'],
    [{ accentColor: '#fff;}body{display:none' }, 'accentColor'],
    [{ historyDays: '1000' }, 'historyDays'],
    [{ defaultSlaPolicy: 'nosuchpolicy' }, 'defaultSlaPolicy'],
  ])('refuses %j on %s', (over, field) => {
    const before = loadSite(t.db);
    expect(Object.keys(fieldsOf(() => updateSiteSettings(t.db, OWNER, settings(over), now)))).toContain(field);
    expect(loadSite(t.db)).toEqual(before);
  });

  it('requires TOTP for everyone only once the owner has it', () => {
    const [owner] = t.db
      .insert(s.users)
      .values({ publicId: 'ownerownerow', email: 'o@example.com', name: 'O', role: 'owner', passwordHash: 'x', createdAt: now, updatedAt: now })
      .returning()
      .all();
    const asOwner: Authority = { actor: { userId: owner!.id, tokenId: null, label: 'o@example.com' }, role: 'owner' };
    expect(thrown(() => updateSiteSettings(t.db, asOwner, settings({ requireTotp: true }), now))).toBeInstanceOf(Conflict);
    t.db.update(s.users).set({ totpSecret: 'JBSWY3DPEHPK3PXP', totpEnabledAt: now }).run();
    updateSiteSettings(t.db, asOwner, settings({ requireTotp: true }), now);
    expect(t.db.select().from(s.siteSettings).get()!.requireTotp).toBe(true);
  });

  it('is for owners only', () => {
    expect(thrown(() => updateSiteSettings(t.db, EDITOR, settings(), now))).toBeInstanceOf(Forbidden);
  });
});
