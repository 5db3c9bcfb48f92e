// What each write tells the response cache it touched: the page_changes triggers (migration 0009)
// read through the change feed on a second, read-only connection, as the server reads them.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeFeed } from '../../src/server/http/change-feed.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../src/server/commands/post-incident-update.ts';
import { correctImpactWindow } from '../../src/server/commands/correct-impact-window.ts';
import { scheduleMaintenance } from '../../src/server/commands/schedule-maintenance.ts';
import { updateComponent } from '../../src/server/commands/components.ts';
import { createApiToken } from '../../src/server/commands/api-tokens.ts';
import { PAGE_CHANGES_KEPT } from '../../src/server/commands/run-command.ts';
import type { Observed } from '../../src/server/http/rendered-cache.ts';
import { EDITOR, OWNER, openCommandDb, type CommandDb } from '../support/command-db.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2026, 5, 10, 12, 0);

let c: CommandDb;
let reader: Database.Database;
let look: () => Observed | undefined;
let a: string;
let b: string;

const changed = () => [...(look()!.changed ?? ['unknown'])].sort();

beforeEach(() => {
  c = openCommandDb(now);
  const open = (title: string, slug: string) =>
    openIncident(c.db, EDITOR, { title, impact: 'major', message: 'Investigating.', startedAt: now - HOUR, components: [{ componentId: c.component(slug), level: 'major_outage' }] }, now - 30 * MIN).publicId;
  a = open('Relay outage', 'smtp-relay');
  b = open('API errors', 'send-api');
  reader = new Database(c.db.$client.name, { readonly: true });
  look = changeFeed(reader);
  expect(look()!.changed).toBeNull(); // the first look cannot tell what came before
});
afterEach(() => {
  reader.close();
  c.close();
});

describe('page_changes', () => {
  it('has its triggers on every table a public page reads (a table rebuilt by a later migration loses them)', () => {
    const triggers = new Set(c.db.$client.prepare("select name from sqlite_master where type = 'trigger'").pluck().all() as string[]);
    const tables = ['components', 'component_groups', 'sla_policies', 'incidents', 'maintenances', 'incident_updates', 'impact_corrections', 'postmortems', 'update_revisions', 'incident_update_components', 'impact_periods', 'maintenance_updates', 'maintenance_components'];
    for (const table of tables) for (const event of ['ins', 'upd', 'del']) expect(triggers, `${table} ${event}`).toContain(`page_changes_${table}_${event}`);
    expect(triggers).toContain('page_changes_site_settings_upd');
  });

  it('an update to one incident touches that incident and its components, not the other incident', () => {
    postIncidentUpdate(c.db, EDITOR, a, { status: 'identified', message: 'Found it.' }, now);
    expect(changed()).toEqual([`incident:${a}`, 'component:smtp-relay'].sort());
    expect(look()!.changed).toEqual([]); // nothing since
  });

  it('a correction that drops a component touches the dropped one too', () => {
    correctImpactWindow(
      c.db,
      EDITOR,
      a,
      { reason: 'It was the API, not the relay.', startedAt: now - HOUR, mitigatedAt: null, periods: [{ componentId: c.component('send-api'), level: 'partial_outage', startedAt: now - HOUR, endedAt: null }] },
      now,
    );
    expect(changed()).toEqual([`incident:${a}`, 'component:send-api', 'component:smtp-relay'].sort());
  });

  it('maintenance touches the window and its components', () => {
    const result = scheduleMaintenance(
      c.db,
      EDITOR,
      { title: 'Relay upgrade', scheduledStart: now + 40 * 24 * HOUR, scheduledEnd: now + 40 * 24 * HOUR + HOUR, components: [c.component('smtp-relay')], message: 'Upgrading.', confirmPolicyWarnings: true },
      now,
    );
    expect(result.saved).toBe(true);
    expect(changed()).toEqual(['component:smtp-relay', `maintenance:${result.saved ? result.publicId : ''}`].sort());
  });

  it('a renamed component touches every page; a staff-only change touches none', () => {
    const relay = c.db.$client.prepare("select public_id, slug, description from components where slug = 'smtp-relay'").get() as { public_id: string; slug: string; description: string | null };
    updateComponent(c.db, OWNER, relay.public_id, { name: 'Mail relay', slug: relay.slug, description: relay.description ?? '', group: '', startDate: '', slaPolicy: '' }, now);
    expect(changed()).toContain('*');
    createApiToken(c.db, OWNER, { name: 'Pager bot', scopes: ['read'] }, now);
    expect(look()!.changed).toEqual([]);
  });

  it('keeps a bounded log, and says "unknown" when rows it had not read were pruned', () => {
    for (let i = 0; i < 3; i++) postIncidentUpdate(c.db, EDITOR, b, { status: 'identified', message: `Note ${i}.` }, now);
    expect(changed()).toEqual([`incident:${b}`, 'component:send-api'].sort());
    // Far more rows than are kept, written while the reader did not look.
    c.db.$client.prepare(`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${PAGE_CHANGES_KEPT + 10}) insert into page_changes (scope) select 'incident:x' from n`).run();
    postIncidentUpdate(c.db, EDITOR, b, { status: 'identified', message: 'Later.' }, now);
    expect((c.db.$client.prepare('select count(*) as n from page_changes').get() as { n: number }).n).toBeLessThanOrEqual(PAGE_CHANGES_KEPT + 1);
    expect(look()!.changed).toBeNull();
  });
});
