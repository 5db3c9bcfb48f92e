// The rendered-bytes cache in front of Astro (scripts/serve.ts): after each kind of write, every
// page, feed and API response that shows the change changes on the very next request; responses
// the write does not touch keep their ETag; readers during a stream of writes never see an error.
// Writes come both from the workspace (the server's own connection) and from another process's
// connection to the same file, as a CLI or a second instance would write.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { updateComponent } from '../../src/server/commands/components.ts';
import { postMaintenanceUpdate, startMaintenance } from '../../src/server/commands/maintenance-progress.ts';
import { updateSiteSettings } from '../../src/server/commands/settings.ts';
import { adminClient, type AdminClient } from '../support/admin-client.ts';
import { parseExposition } from '../support/prometheus-text.ts';
import { EDITOR, OWNER } from '../support/command-db.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const PASSWORD = 'quiet harbour orange kettle';

let server: RunningServer;
let db: Db;
let editor: AdminClient;
let ongoing: string;
let untouched: string;

interface Seen {
  status: number;
  etag: string | null;
  text: string;
}

async function read(path: string, encoding = 'identity'): Promise<Seen> {
  const res = await fetch(server.url + path, { headers: { 'Accept-Encoding': encoding } });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
}

async function readAll(paths: readonly string[]): Promise<Map<string, Seen>> {
  return new Map(await Promise.all(paths.map(async (p) => [p, await read(p)] as const)));
}

const row = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;

beforeAll(async () => {
  // A long tick: in this file only writes may change a response, never the clock.
  server = await startServer({ CANDOR_CACHE_TICK_MS: '600000', CANDOR_METRICS: 'true' });
  db = openDatabase(server.databasePath, path.resolve('db/migrations'));
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
  ongoing = row<{ id: string }>(`select public_id as id from incidents where resolved_at is null and title like '%webhook%'`).id;
  // A resolved incident that never touched the statistics component.
  untouched = row<{ id: string }>(
    `select i.public_id as id from incidents i where i.resolved_at is not null and not exists (
       select 1 from impact_periods p join components c on c.id = p.component_id where p.incident_id = i.id and c.slug = 'statistics')
     order by i.started_at desc limit 1`,
  ).id;
});
afterAll(async () => {
  db?.$client.close();
  await server?.stop();
});

describe('the rendered-bytes cache', () => {
  it('serves repeat reads from the same bytes, compressed on request', async () => {
    const first = await read('/');
    const again = await read('/');
    expect(again.etag).toBe(first.etag);
    expect(again.text).toBe(first.text);
    for (const encoding of ['br', 'gzip'] as const) {
      const res = await fetch(`${server.url}/`, { headers: { 'Accept-Encoding': encoding } });
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(Number(res.headers.get('content-length'))).toBeLessThan(first.text.length / 2);
      expect(await res.text()).toBe(first.text); // fetch decodes it
    }
  });

  it('answers 304 to a validator of any encoding, and HEAD without a body', async () => {
    const br = await fetch(`${server.url}/history.rss`, { headers: { 'Accept-Encoding': 'br' } });
    const tag = br.headers.get('etag')!;
    expect(tag).toMatch(/-br"$/);
    const revalidated = await fetch(`${server.url}/history.rss`, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': tag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toMatch(/-gz"$/);
    const head = await fetch(`${server.url}/history.rss`, { method: 'HEAD', headers: { 'Accept-Encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength((await read('/history.rss')).text));
  });

  it('answers URLs that differ only in parameters no page reads from the same entry', async () => {
    const plain = await read('/');
    const tagged = await read('/?utm_source=newsletter&utm_campaign=outage');
    expect(tagged.etag).toBe(plain.etag);
    const history = await read('/history?page=1&ref=x');
    expect(history.status).toBe(200);
  });

  it("leaves unusual spellings of a workspace path to the workspace, with the reader's cookie", async () => {
    const odd = await editor.get('//admin');
    expect(odd.headers.get('cache-control')).toBe('private, no-store');
    expect(odd.status).not.toBe(500);
  });

  it('never shares the workspace or a response that sets a cookie', async () => {
    const signedIn = await editor.get('/admin');
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    const stranger = await fetch(`${server.url}/admin`, { redirect: 'manual' });
    expect(stranger.status).toBe(303);
  });

  it('shows an update posted in the workspace on the very next request of every page, feed and API that carries it', async () => {
    const affected = ['/', `/incidents/${ongoing}`, '/history.rss', '/history.atom', '/api/v2/summary.json', '/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', `/api/incidents/${ongoing}.json`];
    const unaffected = [`/incidents/${untouched}`, `/api/incidents/${untouched}.json`, '/maintenance.ics'];
    const before = await readAll([...affected, ...unaffected]);
    const posted = await editor.post(`/admin/incidents/${ongoing}`, { status: 'identified', message: 'Cache check: a stuck delivery queue was found and is draining.' });
    expect(posted.status).toBe(303);
    const after = await readAll([...affected, ...unaffected]);
    for (const p of affected) {
      expect(after.get(p)!.text, p).toContain('a stuck delivery queue was found and is draining');
      expect(after.get(p)!.etag, p).not.toBe(before.get(p)!.etag);
    }
    for (const p of unaffected) expect(after.get(p)!.etag, p).toBe(before.get(p)!.etag);
  });

  it('renders again only the pages an update touched, and keeps how it knows to itself', async () => {
    const renders = async () =>
      parseExposition(await (await fetch(`${server.url}/metrics`)).text()).samples.find((x) => x.name === 'candor_cache_renders_total')!.value;
    const elsewhere = row<{ slug: string }>(
      `select slug from components where id not in (select p.component_id from impact_periods p join incidents i on i.id = p.incident_id where i.public_id = ?) order by position limit 1`,
      ongoing,
    ).slug;
    const touched = [`/incidents/${ongoing}`, `/api/incidents/${ongoing}.json`, '/'];
    const untouchedPages = [`/incidents/${untouched}`, `/api/incidents/${untouched}.json`, `/components/${elsewhere}`, `/components/${elsewhere}.rss`, `/components/${elsewhere}/badge.svg`];
    const before = await readAll([...touched, ...untouchedPages]);
    const start = await renders();
    const posted = await editor.post(`/admin/incidents/${ongoing}`, { status: 'identified', message: 'Scoped check: only this incident changed.' });
    expect(posted.status).toBe(303);
    const after = await readAll([...touched, ...untouchedPages]);
    for (const p of touched) expect(after.get(p)!.text, p).toContain('only this incident changed');
    for (const p of untouchedPages) expect(after.get(p)!.etag, p).toBe(before.get(p)!.etag);
    // The incident's page, its JSON and the home page rendered again; nothing else did.
    expect((await renders()) - start).toBe(touched.length);
    for (const p of [...touched, ...untouchedPages]) {
      const res = await fetch(server.url + p);
      expect(res.headers.has('x-candor-depends'), p).toBe(false);
      await res.arrayBuffer();
    }
  });

  it('shows a component renamed by another process on the next request', async () => {
    const affected = ['/', '/components/statistics', '/uptime', '/api/v2/components.json', '/api/v2/summary.json'];
    const unaffected = [`/incidents/${untouched}`, '/history.rss'];
    const before = await readAll([...affected, ...unaffected]);
    const current = row<{ id: string; description: string; start: string | null }>(
      `select public_id as id, description, start_date as start from components where slug = 'statistics'`,
    );
    updateComponent(db, EDITOR, current.id, {
      name: 'Statistics and reports',
      slug: 'statistics',
      description: current.description,
      group: '',
      startDate: current.start ?? '',
      slaPolicy: '',
    }, Date.now());
    const after = await readAll([...affected, ...unaffected]);
    for (const p of affected) {
      expect(after.get(p)!.text, p).toContain('Statistics and reports');
      expect(after.get(p)!.etag, p).not.toBe(before.get(p)!.etag);
    }
    for (const p of unaffected) expect(after.get(p)!.etag, p).toBe(before.get(p)!.etag);
  });

  it('puts components under maintenance as soon as a window starts', async () => {
    const window = row<{ id: string; slug: string }>(
      `select m.public_id as id, c.slug from maintenances m join maintenance_components mc on mc.maintenance_id = m.id
       join components c on c.id = mc.component_id where m.status = 'scheduled' order by m.scheduled_start limit 1`,
    );
    const paths = ['/', `/maintenance/${window.id}`, `/components/${window.slug}`, '/api/v2/scheduled-maintenances.json', '/api/v2/summary.json', '/maintenance.ics'];
    const before = await readAll(paths);
    startMaintenance(db, EDITOR, window.id, {}, Date.now());
    const after = await readAll(paths);
    for (const p of paths) expect(after.get(p)!.etag, p).not.toBe(before.get(p)!.etag);
    const summary = JSON.parse(after.get('/api/v2/summary.json')!.text) as { scheduled_maintenances: { id: string; status: string }[] };
    expect(summary.scheduled_maintenances.find((m) => m.id === window.id)?.status).toBe('in_progress');
    expect(after.get(`/components/${window.slug}`)!.text).toMatch(/under maintenance/i);
  });

  it('shows a new site name on every page, feed and API response', async () => {
    const paths = ['/', '/history', '/uptime', `/incidents/${untouched}`, '/history.rss', '/api/v2/summary.json', '/api/v2/status.json'];
    const settings = row<{ url: string; tz: string; accent: string; days: number; policy: string | null; totp: number }>(
      `select s.url, s.time_zone as tz, s.accent_color as accent, s.history_days as days, p.public_id as policy, s.require_totp as totp
       from site_settings s left join sla_policies p on p.id = s.default_sla_policy_id where s.id = 1`,
    );
    await readAll(paths);
    const renamedAt = Date.now();
    updateSiteSettings(db, OWNER, {
      name: 'Postwise Cache Check',
      url: settings.url,
      timeZone: settings.tz,
      accentColor: settings.accent,
      historyDays: String(settings.days),
      defaultSlaPolicy: settings.policy ?? '',
      requireTotp: settings.totp === 1,
    }, renamedAt);
    const after = await readAll(paths);
    for (const p of paths) expect(after.get(p)!.text, p).toContain('Postwise Cache Check');
    // The channel title is part of what the feed shows, so the feed's date follows the rename.
    expect(after.get('/history.rss')!.text).toContain(`<lastBuildDate>${new Date(renamedAt).toUTCString()}</lastBuildDate>`);
  });

  it('never answers a reader with an error while writes land', async () => {
    const window = row<{ id: string }>(`select public_id as id from maintenances where status = 'in_progress' limit 1`);
    const paths = ['/', '/history.rss', '/api/v2/summary.json', `/incidents/${ongoing}`, '/badge.svg', '/maintenance.ics'];
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        postMaintenanceUpdate(db, EDITOR, window.id, { message: `Progress note ${++writes}.` }, Date.now());
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const statuses: number[] = [];
    const readers = Array.from({ length: 20 }, async (_, i) => {
      for (let n = 0; n < 15; n++) {
        const res = await fetch(server.url + paths[(i + n) % paths.length]!, { headers: { 'Accept-Encoding': i % 2 ? 'br' : 'gzip' } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    });
    await Promise.all(readers);
    writing = false;
    await writer;
    expect(writes).toBeGreaterThan(5);
    expect(statuses).toHaveLength(300);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // And the last write is what the next reader sees.
    expect((await read(`/maintenance/${window.id}`)).text).toContain(`Progress note ${writes}.`);
  });
});

describe('a new database without the demo', () => {
  it('shows the first write on the very next request', async () => {
    const empty = await startServer({ CANDOR_DEMO: 'false', CANDOR_CACHE_TICK_MS: '600000' });
    const own = openDatabase(empty.databasePath, path.resolve('db/migrations'));
    try {
      expect(await (await fetch(`${empty.url}/`)).text()).not.toContain('Queue stalls in Frankfurt');
      const { openIncident } = await import('../../src/server/commands/open-incident.ts');
      openIncident(own, EDITOR, { title: 'Queue stalls in Frankfurt', impact: 'minor', message: 'Looking into it.' }, Date.now());
      expect(await (await fetch(`${empty.url}/`)).text()).toContain('Queue stalls in Frankfurt');
    } finally {
      own.$client.close();
      await empty.stop();
    }
  });
});

describe('the data version', () => {
  it('is bumped by every write, so nothing else has to know what a page shows', () => {
    const reader = new Database(server.databasePath, { readonly: true });
    const version = () => reader.prepare('select data_version from site_settings').pluck().get() as number;
    const before = version();
    postMaintenanceUpdate(db, EDITOR, row<{ id: string }>(`select public_id as id from maintenances where status = 'in_progress' limit 1`).id, { message: 'One more.' }, Date.now());
    expect(version()).toBe(before + 1);
    reader.close();
  });
});
