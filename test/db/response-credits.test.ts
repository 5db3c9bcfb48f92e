// The managed-service provider's case: 5% of the monthly fee back when fewer than 98% of a
// month's incidents got their first public update within target. Policy, incidents and the
// /uptime read model on a fresh database, as a provider would set it up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { serialiseUptimeDocument } from '../../src/server/api/uptime-document.ts';
import { createComponent } from '../../src/server/commands/components.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { createPolicy, type PolicyInput } from '../../src/server/commands/policies.ts';
import { updateSiteSettings } from '../../src/server/commands/settings.ts';
import { getComponentPage } from '../../src/server/component-page.ts';
import { Invalid } from '../../src/server/errors.ts';
import { ensureSiteSettings, loadSlaPolicies } from '../../src/server/site.ts';
import { getUptimePage } from '../../src/server/uptime-page.ts';
import { OWNER, thrown } from '../support/command-db.ts';

const MIN = 60_000;
const H = 60 * MIN;
const SETUP = Date.parse('2026-10-01T08:00:00Z');
const NOVEMBER = { year: 2026, month: 11 };
const OCTOBER = { year: 2026, month: 10 };
const now = Date.parse('2026-12-02T09:00:00Z');

let dir: string;
let db: Db;

const mspPolicy = (over: PolicyInput = {}): PolicyInput => ({
  name: 'Managed hosting SLA',
  availabilityTarget: '99.5',
  weightMajor: '1',
  weightPartial: '0.3',
  weightDegraded: '0',
  weightMaintenance: '1',
  noticeDays: '7',
  targetCritical: '120',
  targetMajor: '240',
  targetMinor: '480',
  complianceTarget: '98',
  responseTierBelow0: '98',
  responseTierCredit0: '5',
  classCritical: 'Critical',
  classMajor: 'Semi-critical',
  classMinor: 'Non-critical',
  ...over,
});

/** An incident opened (first public update) `answeredAfter` after customers were affected. */
function incident(title: string, impact: 'critical' | 'major' | 'minor', startedAt: number, answeredAfter: number, component: string) {
  openIncident(db, OWNER, { title, impact, message: 'We are looking into it.', startedAt, components: [{ componentId: component, level: 'major_outage' }] }, startedAt + answeredAfter);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-response-credits-'));
  db = openDatabase(path.join(dir, 'candor.db'), path.resolve('db/migrations'));
  ensureSiteSettings(db, SETUP);
  const policy = createPolicy(db, OWNER, mspPolicy(), SETUP);
  updateSiteSettings(db, OWNER, {
    name: 'Hosting status', url: 'https://status.msp.example', timeZone: 'Europe/Amsterdam', accentColor: '#2f5fd0', historyDays: '90', defaultSlaPolicy: policy, requireTotp: false,
  }, SETUP);
  const servers = createComponent(db, OWNER, { name: 'Customer servers', slug: 'servers', description: '', group: '', startDate: '2026-01-01', slaPolicy: '' }, SETUP);
  const backups = createComponent(db, OWNER, { name: 'Backups', slug: 'backups', description: '', group: '', startDate: '2026-01-01', slaPolicy: '' }, SETUP);
  // October: both answered in time. November: two in time, one critical answered after 3 h (target 2 h).
  incident('Disk array degraded', 'major', Date.parse('2026-10-12T10:00:00Z'), 30 * MIN, servers);
  incident('Backup jobs failing', 'minor', Date.parse('2026-10-20T22:00:00Z'), 2 * H, backups);
  incident('Hypervisor crash', 'critical', Date.parse('2026-11-03T02:10:00Z'), 3 * H, servers);
  incident('Slow storage', 'major', Date.parse('2026-11-10T14:00:00Z'), 45 * MIN, servers);
  incident('Backup window overran', 'minor', Date.parse('2026-11-18T06:00:00Z'), 4 * H, backups);
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('response-time credits on /uptime', () => {
  it('owes 5% for November: 2 of 3 incidents answered in time is 66.67%, below 98%', () => {
    const { response } = getUptimePage(db, NOVEMBER, now);
    expect(response.compliance).toMatchObject({ counted: 3, within: 2, met: false, credit: { below: 0.98, creditPercent: 5 } });
    expect(response.compliance.share).toBeCloseTo(2 / 3, 12);
    expect(response.creditRule).toMatch(/^Response-time credit: 5% of the monthly fee when fewer than 98\.00% of a month's counted incidents/);
    expect(response.rules).toMatch(/2 h for critical, 4 h for semi-critical and 8 h for non-critical incidents/);
  });

  it('owes nothing for October, when every incident was answered in time', () => {
    expect(getUptimePage(db, OCTOBER, now).response.compliance).toMatchObject({ counted: 2, within: 2, met: true, credit: null });
  });

  it('puts the credit, its rule and the class names in /api/uptime.json', () => {
    const doc = serialiseUptimeDocument(getUptimePage(db, NOVEMBER, now));
    expect(doc.response_compliance).toMatchObject({
      credit: { below: 0.98, credit_percent: 5 },
      class_labels: { critical: 'Critical', major: 'Semi-critical', minor: 'Non-critical' },
    });
    expect(doc.response_compliance.credit_rule).toContain('5% of the monthly fee');
    expect(doc.response_compliance.by_impact.map((b) => b.label)).toEqual(['Critical', 'Semi-critical', 'Non-critical']);
    expect(doc.policies[0]).toMatchObject({ responseCredits: expect.stringContaining('5% of the monthly fee'), classes: ['Semi-critical: what Candor calls major impact.', 'Non-critical: what Candor calls minor impact.'] });
  });

  it('judges a component page on the incidents that affected it, under its policy', () => {
    const servers = getComponentPage(db, 'servers', Date.parse('2026-11-25T09:00:00Z')).response;
    expect(servers.compliance).toMatchObject({ counted: 2, within: 1, credit: { creditPercent: 5 } });
    const backups = getComponentPage(db, 'backups', Date.parse('2026-11-25T09:00:00Z')).response;
    expect(backups.compliance).toMatchObject({ counted: 1, within: 1, credit: null });
  });
});

describe('the policy form’s response-time credit and class fields', () => {
  it('stores tiers as fractions and the class names as labels', () => {
    const policy = [...loadSlaPolicies(db).values()].find((p) => p.name === 'Managed hosting SLA')!;
    expect(policy.responseCreditTiers).toEqual([{ below: 0.98, creditPercent: 5 }]);
    expect(policy.classLabels).toEqual({ critical: 'Critical', major: 'Semi-critical', minor: 'Non-critical' });
  });

  it.each([
    [{ responseTierBelow0: '99' }, 'responseTierBelow0'], // above the 98% compliance goal
    [{ responseTierCredit0: '' }, 'responseTierCredit0'],
    [{ responseTierBelow1: '90', responseTierCredit1: '2' }, 'responseTierCredit1'], // worse compliance, less credit
    [{ classMajor: 'x'.repeat(41) }, 'classMajor'],
  ])('refuses %j on %s', (over, field) => {
    const error = thrown(() => createPolicy(db, OWNER, mspPolicy(over), now));
    expect(error).toBeInstanceOf(Invalid);
    expect(Object.keys((error as Invalid).fields)).toContain(field);
  });
});
