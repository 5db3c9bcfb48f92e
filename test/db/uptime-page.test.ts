import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { FAILOVER_TITLE, seedDemo } from '../../db/seed/demo.ts';
import { getComponentPage } from '../../src/server/component-page.ts';
import { BadQuery, Invalid } from '../../src/server/errors.ts';
import { getUptimePage, parseUptimeMonth } from '../../src/server/uptime-page.ts';

const MIN = 60_000;
const H = 60 * MIN;
// The demo is relative to now: the failover starts 40 days earlier, on 13 Oct 2026 12:13 UTC,
// and its customer impact (54 h) ends on 15 Oct, all inside October.
const now = Date.parse('2026-11-22T09:00:00Z');
const OCTOBER = { year: 2026, month: 10 };
const SEPTEMBER = { year: 2026, month: 9 };

let dir: string;
let db: Db;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-uptime-'));
  db = openDatabase(path.join(dir, 'candor.db'), path.resolve('db/migrations'));
  seedDemo(db, { now, render: (md) => md });
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rowOf = (page: ReturnType<typeof getUptimePage>, slug: string) => page.rows.find((r) => r.slug === slug)!.report;

describe('getUptimePage', () => {
  it('reports the SMTP relay’s October from > 2 days of customer impact, not the 3 h failover', () => {
    // October 2026 in Amsterdam lasts 745 h (clocks go back on the 25th). SMTP relay: major
    // outage 3 h, then partial outage (weight 0.3) for 51 h: 3 + 15.3 = 18.3 h downtime.
    const relay = rowOf(getUptimePage(db, OCTOBER, now), 'smtp-relay');
    expect(relay.countedMs).toBe(745 * H);
    expect(relay.downtimeMs).toBeCloseTo(18.3 * H, 3);
    expect(relay.availability).toBeCloseTo(1 - 18.3 / 745, 12); // 97.54%, not 1 − 3/745 = 99.60%
    expect(relay).toMatchObject({ target: 0.999, met: false, inProgress: false, credit: { below: 0.99, creditPercent: 25 } });
    // Allowed 0.1% × 745 h = 0.745 h.
    expect(relay.errorBudgetUsed).toBeCloseTo(18.3 / 0.745, 9);
  });

  it('judges each component by its own policy and leaves excused maintenance out', () => {
    const page = getUptimePage(db, OCTOBER, now);
    // Inbound email: major 3 h + partial 25 h × 0.3 = 10.5 h.
    expect(rowOf(page, 'inbound-email').availability).toBeCloseTo(1 - 10.5 / 745, 12);
    // Send API, under the 99% console SLA: partial 5 h × 0.3 = 1.5 h of 7.45 h allowed.
    const sendApi = rowOf(page, 'send-api');
    expect(sendApi).toMatchObject({ target: 0.99, met: true, credit: null });
    expect(sendApi.errorBudgetUsed).toBeCloseTo(1.5 / 7.45, 9);
    // Statistics: the database upgrade was announced 35 days ahead and kept to its 2 h window.
    expect(rowOf(page, 'statistics')).toMatchObject({ countedMs: 743 * H, downtimeMs: 0, availability: 1, met: true });
    expect(page.maintenance.map((m) => [m.title, m.components])).toEqual([
      ['Database upgrade for statistics', [{ name: 'Statistics', excused: true, problems: [] }]],
    ]);
    expect(page.rows.map((r) => r.slug)).toEqual(['send-api', 'smtp-relay', 'inbound-email', 'webhooks', 'admin-console', 'statistics']);
  });

  it('counts late-announced, overrunning maintenance and a component created mid-month in September', () => {
    const page = getUptimePage(db, SEPTEMBER, now);
    // TLS rotation: 2 days' notice, 1 h window run for 1 h 40 min — all 100 min count.
    expect(rowOf(page, 'smtp-relay').downtimeMs).toBe(100 * MIN);
    expect(rowOf(page, 'smtp-relay').availability).toBeCloseTo(1 - 100 / (720 * 60), 12);
    expect(page.maintenance[0]!.components).toEqual([
      { name: 'SMTP relay', excused: false, problems: ['Announced 2 days ahead; the policy requires 30 days.'] },
    ]);
    // Webhooks started on 23 Sep: 8 days of 24 h counted.
    expect(rowOf(page, 'webhooks')).toMatchObject({ countedMs: 192 * H, availability: 1 });
  });

  it('measures response times against the site default policy, first update at 47 min', () => {
    const october = getUptimePage(db, OCTOBER, now).response;
    expect(october.policyName).toBe('Email platform SLA');
    expect(october.compliance.outcomes.map((o) => [o.incident.title, o.timeToFirstUpdateMs, o.state])).toEqual([
      [FAILOVER_TITLE, 47 * MIN, 'within'],
    ]);
    // The Outlook deferrals notice (impact none) is not counted.
    expect(october.compliance).toMatchObject({ counted: 1, within: 1, share: 1, goal: 0.98, met: true });
    const november = getUptimePage(db, null, now).response.compliance;
    expect(november.outcomes.map((o) => [o.impact, o.timeToFirstUpdateMs! / MIN, o.state])).toEqual([
      ['major', 18, 'within'],
      ['minor', 25, 'within'],
      ['minor', 12, 'within'],
      ['minor', 15, 'within'],
    ]);
  });

  it('defaults to the current month, in progress, with links and choices back to the oldest component', () => {
    const page = getUptimePage(db, null, now);
    expect(page.month).toMatchObject({ key: '2026-11', label: 'November 2026' });
    expect(page.rows[0]!.report.inProgress).toBe(true);
    expect(page.next).toBeNull();
    expect(page.previous).toEqual({ key: '2026-10', label: 'October 2026' });
    // The oldest components started 730 days before now: 22 Nov 2024.
    expect(page.choices[0]).toEqual({ key: '2026-11', label: 'November 2026' });
    expect(page.choices.at(-1)).toEqual({ key: '2024-11', label: 'November 2024' });
    expect(getUptimePage(db, { year: 2024, month: 11 }, now).previous).toBeNull();
    expect(page.policies.map((p) => [p.name, p.components])).toEqual([
      ['Console and API SLA', ['Send API', 'Admin console']],
      ['Email platform SLA', ['SMTP relay', 'Inbound email', 'Webhooks', 'Statistics']],
    ]);
  });

  it('refuses a month that has not started, and month parameters not shaped YYYY-MM', () => {
    expect(() => getUptimePage(db, { year: 2026, month: 12 }, now)).toThrow(
      new BadQuery({ month: 'December 2026 has not started yet; the latest month is November 2026.' }),
    );
    expect(parseUptimeMonth(null)).toBeNull();
    expect(parseUptimeMonth('')).toBeNull();
    expect(parseUptimeMonth('2026-10')).toEqual(OCTOBER);
    for (const bad of ['2026-13', 'yesterday', '2026-1']) expect(() => parseUptimeMonth(bad)).toThrow(Invalid);
  });
});

describe('getComponentPage monthly history', () => {
  it('lists the last 12 months newest first, with the same figures as the uptime page', () => {
    const { monthly } = getComponentPage(db, 'smtp-relay', now);
    expect(monthly.map((m) => m.key)).toEqual([
      '2026-11', '2026-10', '2026-09', '2026-08', '2026-07', '2026-06', '2026-05', '2026-04', '2026-03', '2026-02', '2026-01', '2025-12',
    ]);
    expect(monthly[1]!.report).toEqual(rowOf(getUptimePage(db, OCTOBER, now), 'smtp-relay'));
    expect(monthly[1]!.label).toBe('October 2026');
  });

  it('starts at the month a young component was created', () => {
    const { monthly } = getComponentPage(db, 'webhooks', now);
    expect(monthly.map((m) => [m.key, m.report.countedMs / H])).toEqual([
      ['2026-11', 21 * 24 + 10], // 1 Nov 00:00 CET to now, 22 Nov 10:00 CET
      ['2026-10', 745],
      ['2026-09', 192],
    ]);
  });
});
