import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildMaintenanceCalendar, sequenceOf } from '../../../src/server/maintenance-calendar.ts';
import type { MaintenanceSummary } from '../../../src/server/maintenance.ts';
import type { Site } from '../../../src/server/site.ts';

const T = Date.UTC(2026, 11, 5, 23, 0);
const site: Site = {
  publicId: 'site00000001',
  name: 'Acme',
  url: 'https://status.acme.test',
  timeZone: 'Europe/Amsterdam',
  accentColor: '#2f5fd0',
  historyDays: 90,
  defaultSlaPolicyId: null,
  dataVersion: 1,
  updatedAt: T,
};
const window = (over: Partial<MaintenanceSummary>): MaintenanceSummary => ({
  id: 1,
  publicId: 'mnt000000001',
  title: 'Storage, migration; part 1',
  status: 'scheduled',
  scheduledStart: T,
  scheduledEnd: T + 3 * 3_600_000,
  actualStart: null,
  actualEnd: null,
  verifyingAt: null,
  announcedAt: T - 30 * 86_400_000,
  createdAt: T - 30 * 86_400_000,
  updatedAt: T - 30 * 86_400_000,
  components: [{ id: 1, publicId: 'c', slug: 'inbound', name: 'Inbound email', slaPolicyId: null }],
  updates: [{ publicId: 'u', status: 'scheduled', bodyMd: 'We will *migrate*.\nExpect delays.', bodyHtml: '', displayAt: T, createdAt: T, updatedAt: T }],
  ...over,
});

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

describe('sequenceOf', () => {
  it('starts at 0 and grows with every later change', () => {
    expect(sequenceOf({ createdAt: 1000, updatedAt: 1000 })).toBe(0);
    expect(sequenceOf({ createdAt: 1000, updatedAt: 2000 })).toBe(1);
    expect(sequenceOf({ createdAt: 1000, updatedAt: 90_000 })).toBeGreaterThan(sequenceOf({ createdAt: 1000, updatedAt: 2000 }));
  });
});

describe('buildMaintenanceCalendar', () => {
  it('writes events an independent parser reads back exactly, in UTC', () => {
    const events = parse(buildMaintenanceCalendar(site, [window({})]));
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.uid).toBe('mnt000000001@status.acme.test');
    expect(e.summary).toBe('Acme maintenance: Storage, migration; part 1');
    expect(e.startDate.zone.tzid).toBe('UTC');
    expect(e.startDate.toJSDate().getTime()).toBe(T);
    expect(e.endDate.toJSDate().getTime()).toBe(T + 3 * 3_600_000);
    expect(e.sequence).toBe(0);
    expect(e.description).toContain('We will *migrate*.\nExpect delays.');
    expect(e.description).toContain('Components: Inbound email');
    expect(e.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(e.component.getFirstPropertyValue('url')).toBe('https://status.acme.test/maintenance/mnt000000001');
  });

  it('marks a cancelled window cancelled and bumps its sequence', () => {
    const cancelled = window({ status: 'cancelled', updatedAt: T - 86_400_000 });
    const [e] = parse(buildMaintenanceCalendar(site, [cancelled]));
    expect(e!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(e!.sequence).toBeGreaterThan(0);
  });

  it('keeps the calendar valid with hostile text', () => {
    const hostile = window({ title: 'Evil\u0000\u0007 <b>x</b>\r\nBEGIN:VEVENT;,\\ 🚧 עברית' });
    const text = buildMaintenanceCalendar(site, [hostile]);
    expect(text).not.toMatch(/[\u0000-\u0008]/);
    const events = parse(text);
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toBe('Acme maintenance: Evil <b>x</b>\r\nBEGIN:VEVENT;,\\ 🚧 עברית'.replace('\r\n', '\n'));
  });

  it('is byte-stable for unchanged data', () => {
    expect(buildMaintenanceCalendar(site, [window({})])).toBe(buildMaintenanceCalendar(site, [window({})]));
  });
});
