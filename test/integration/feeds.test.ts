// History feeds and the maintenance calendar, read back by independent parsers
// (@rowanmanning/feed-parser, feedsmith for the JSON Feed, ical.js, Chromium's XML parser) and
// checked against the database.
import { stripInvisibleFormatting } from '../../src/domain/display-text.ts';
import { parseFeed } from '@rowanmanning/feed-parser';
import { detectJsonFeed, parseJsonFeed } from 'feedsmith';
import Database from 'better-sqlite3';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { insertIncident, insertMaintenance } from '../support/db-rows.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const STATUS_TITLES: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
const KIND_TITLES: Record<string, string> = { apology: 'Apology', correction: 'Correction' };

interface UpdateRow {
  status: string;
  kind: string;
  display_at: number;
}
interface Event {
  kind: 'incident' | 'maintenance';
  publicId: string;
  title: string;
  status: string;
  published: number;
  end: number | null;
  updates: UpdateRow[];
  postmortem: boolean;
}

/** The feed's events as the database holds them, newest first. */
function readEvents(databasePath: string, componentSlug?: string): { siteUrl: string; events: Event[] } {
  const db = new Database(databasePath, { readonly: true });
  try {
    const siteUrl = (db.prepare('select url from site_settings').get() as { url: string }).url.replace(/\/+$/, '');
    const componentId = componentSlug ? (db.prepare('select id from components where slug = ?').get(componentSlug) as { id: number }).id : null;
    const incidents = db
      .prepare(
        `select i.id, i.public_id, i.title, i.status, i.started_at,
                exists (select 1 from postmortems p where p.incident_id = i.id and p.status = 'published') as pm
         from incidents i
         where ? is null or exists (select 1 from impact_periods ip where ip.incident_id = i.id and ip.component_id = ?)`,
      )
      .all(componentId, componentId) as { id: number; public_id: string; title: string; status: string; started_at: number; pm: number }[];
    const maintenances = db
      .prepare(
        `select m.id, m.public_id, m.title, m.status, m.scheduled_start, m.scheduled_end from maintenances m
         where ? is null or exists (select 1 from maintenance_components mc where mc.maintenance_id = m.id and mc.component_id = ?)`,
      )
      .all(componentId, componentId) as { id: number; public_id: string; title: string; status: string; scheduled_start: number; scheduled_end: number }[];
    const incidentUpdates = db.prepare('select status, kind, display_at from incident_updates where incident_id = ? order by display_at desc, id desc');
    const maintenanceUpdates = db.prepare(
      "select status, 'update' as kind, display_at from maintenance_updates where maintenance_id = ? order by display_at desc, id desc",
    );
    const events: Event[] = [
      ...incidents.map((i) => ({
        kind: 'incident' as const,
        publicId: i.public_id,
        title: i.title,
        status: i.status,
        published: i.started_at,
        end: null,
        updates: incidentUpdates.all(i.id) as UpdateRow[],
        postmortem: i.pm === 1,
      })),
      ...maintenances.map((m) => ({
        kind: 'maintenance' as const,
        publicId: m.public_id,
        title: m.title,
        status: m.status,
        published: m.scheduled_start,
        end: m.scheduled_end,
        updates: maintenanceUpdates.all(m.id) as UpdateRow[],
        postmortem: false,
      })),
    ];
    return { siteUrl, events: events.sort((a, b) => b.published - a.published).slice(0, 50) };
  } finally {
    db.close();
  }
}

/** The labels the standard asks for, derived here independently from the stored updates. */
function expectedLabels(event: Event): string[] {
  const labels = event.updates.map((u, i) => {
    const previous = event.updates[i + 1];
    if (!previous || previous.status !== u.status) return STATUS_TITLES[u.status]!;
    return KIND_TITLES[u.kind] ?? 'Update';
  });
  return event.postmortem ? ['Postmortem', ...labels] : labels;
}

const labelsIn = (html: string) => [...html.matchAll(/<strong>([^<]*)<\/strong> - /g)].map((m) => m[1]);
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Raw `<item>` chunks by link, for elements the parser does not expose. */
function rawItems(xml: string): Map<string, string> {
  return new Map(xml.split('<item>').slice(1).map((chunk) => [/<link>([^<]*)<\/link>/.exec(chunk)![1]!, chunk]));
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());
const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

describe('/history.rss', () => {
  it('is RSS 2.0 with the standard channel', async () => {
    const res = await get('/history.rss');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await res.text();
    const feed = parseFeed(xml);
    expect(feed.meta).toEqual({ type: 'rss', version: '2.0' });
    expect(feed.title).toBe('Postwise Status - Incident History');
    expect(xml).toContain('<description><![CDATA[Statuspage]]></description>');
    const { siteUrl } = readEvents(server.databasePath);
    expect(feed.url).toBe(siteUrl);
    expect(feed.self).toBe(`${siteUrl}/history.rss`);
    // Small enough for any reader; the demo's size is a fraction of the 1 MB budget.
    expect(new TextEncoder().encode(xml).byteLength).toBeLessThan(1_000_000);
  });

  it('has one item per incident and maintenance window, newest first, with link, guid and date', async () => {
    const xml = await (await get('/history.rss')).text();
    const feed = parseFeed(xml);
    const { siteUrl, events } = readEvents(server.databasePath);
    expect(events.some((e) => e.kind === 'incident') && events.some((e) => e.kind === 'maintenance')).toBe(true);
    expect(feed.items.map((i) => i.url)).toEqual(
      events.map((e) => `${siteUrl}/${e.kind === 'incident' ? 'incidents' : 'maintenance'}/${e.publicId}`),
    );
    feed.items.forEach((item, index) => {
      const event = events[index]!;
      expect(item.id).toBe(item.url);
      expect(item.title).toBe(event.title);
      expect(item.published?.getTime()).toBe(seconds(event.published));
    });
    expect(xml).toContain(`<guid isPermaLink="true">${siteUrl}/incidents/`);
  });

  it('lists every update in each item with the standard label and time', async () => {
    const feed = parseFeed(await (await get('/history.rss')).text());
    const { events } = readEvents(server.databasePath);
    feed.items.forEach((item, index) => {
      const event = events[index]!;
      const html = item.description ?? '';
      expect(labelsIn(html), event.title).toEqual(expectedLabels(event));
      const moments = html.match(/<small>[A-Z][a-z]{2} <var data-var='date'>\d{1,2}<\/var>, <var data-var='time'>\d\d:\d\d<\/var> [A-Z]+<\/small><br>/g);
      expect(moments?.length).toBe(event.updates.length + (event.postmortem ? 1 : 0));
      expect(html.includes('<strong>Resolved</strong>')).toBe(event.updates.some((u) => u.status === 'resolved'));
    });
  });

  it('marks maintenance with maintenanceEndDate and the scheduled-event line', async () => {
    const xml = await (await get('/history.rss')).text();
    const feed = parseFeed(xml);
    const items = rawItems(xml);
    const { events } = readEvents(server.databasePath);
    feed.items.forEach((item, index) => {
      const event = events[index]!;
      const chunk = items.get(item.url!)!;
      if (event.kind === 'maintenance') {
        expect(chunk).toContain(`<maintenanceEndDate>${new Date(event.end!).toUTCString()}</maintenanceEndDate>`);
        expect(item.description).toMatch(/^<p><strong>THIS IS A SCHEDULED EVENT [A-Z][a-z]{2} <var data-var='date'>\d+<\/var>, .+ - .+<\/strong><\/p><p><small>/);
      } else {
        expect(chunk).not.toContain('maintenanceEndDate');
        expect(item.description).not.toContain('THIS IS A SCHEDULED EVENT');
      }
    });
  });

  it('includes the published post-mortem and labels apologies and corrections, bodies as HTML not Markdown', async () => {
    const feed = parseFeed(await (await get('/history.rss')).text());
    const failover = feed.items.find((i) => i.title === 'Email delivery outage after Amsterdam datacentre failure')!;
    expect(failover.description).toMatch(/^<p><small>[^<]+<var[^]*?<\/small><br><strong>Postmortem<\/strong> - <\/p><h3>Summary<\/h3>/);
    expect(failover.description).toContain('<strong>Apology</strong> - <strong>We are sorry.</strong>');
    expect(failover.description).toContain('<strong>Correction</strong> - <strong>Correction.</strong>');
    expect(failover.description).not.toMatch(/\*\*|^## |<p>## /m);
  });
});

describe('/history.atom', () => {
  it('carries the same events as the RSS feed, with exact dates', async () => {
    const res = await get('/history.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const atom = parseFeed(await res.text());
    const rss = parseFeed(await (await get('/history.rss')).text());
    const { events } = readEvents(server.databasePath);
    expect(atom.meta).toEqual({ type: 'atom', version: '1.0' });
    expect(atom.title).toBe('Postwise Status - Incident History');
    expect(atom.items.map((i) => i.url)).toEqual(rss.items.map((i) => i.url));
    atom.items.forEach((item, index) => {
      expect(item.id).toBe(item.url);
      expect(item.title).toBe(events[index]!.title);
      expect(item.published?.getTime()).toBe(events[index]!.published);
      expect(item.updated).toBeInstanceOf(Date);
      expect(item.content).toBe(rss.items[index]!.description);
    });
  });
});

describe('/history.json', () => {
  it('is a JSON Feed 1.1 of the same items as the RSS, each with the RSS item\'s HTML', async () => {
    const res = await get('/history.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const text = await res.text();
    const raw = JSON.parse(text) as { version: string };
    expect(raw.version).toBe('https://jsonfeed.org/version/1.1');
    expect(detectJsonFeed(text)).toBe(true);
    const json = parseJsonFeed(text);
    const rss = parseFeed(await (await get('/history.rss')).text());
    const atom = parseFeed(await (await get('/history.atom')).text());
    const { siteUrl, events } = readEvents(server.databasePath);
    expect(json.title).toBe('Postwise Status - Incident History');
    expect(json.home_page_url).toBe(siteUrl);
    expect(json.feed_url).toBe(`${siteUrl}/history.json`);
    expect(json.authors).toEqual([{ name: 'Postwise' }]);
    expect(json.items?.map((i) => i.url)).toEqual(rss.items.map((i) => i.url));
    json.items!.forEach((item, index) => {
      expect(item.id).toBe(item.url);
      expect(item.title).toBe(events[index]!.title);
      expect(Date.parse(String(item.date_published))).toBe(events[index]!.published);
      expect(Date.parse(String(item.date_modified))).toBe(atom.items[index]!.updated?.getTime());
      expect(item.content_html).toBe(rss.items[index]!.description);
    });
  });

  it('is advertised on every page beside the RSS and Atom feeds', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain('<link rel="alternate" type="application/feed+json" title="Postwise Status - Incident History (JSON Feed)" href="/history.json">');
  });
});

describe('/components/<slug>.rss', () => {
  it("lists only that component's incidents and maintenance", async () => {
    const res = await get('/components/statistics.rss');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const feed = parseFeed(await res.text());
    const { siteUrl, events } = readEvents(server.databasePath, 'statistics');
    expect(feed.title).toBe('Postwise Status - Statistics Incident History');
    expect(events.length).toBeGreaterThan(1);
    expect(feed.items.map((i) => i.url)).toEqual(
      events.map((e) => `${siteUrl}/${e.kind === 'incident' ? 'incidents' : 'maintenance'}/${e.publicId}`),
    );
    expect(feed.items.map((i) => i.title)).toContain('Delayed statistics in dashboard');
    expect(feed.items.map((i) => i.title)).not.toContain('Inbound mail rejected with 550 errors');
  });

  it('answers 404 for an unknown component', async () => {
    expect((await get('/components/no-such-thing.rss')).status).toBe(404);
  });
});

describe('/maintenance.ics', () => {
  it('lists every window with a stable UID, UTC times and its status', async () => {
    const res = await get('/maintenance.ics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = new ICAL.Component(ICAL.parse(await res.text())).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const db = new Database(server.databasePath, { readonly: true });
    const rows = db.prepare('select public_id, title, status, scheduled_start, scheduled_end from maintenances order by scheduled_start desc').all() as {
      public_id: string;
      title: string;
      status: string;
      scheduled_start: number;
      scheduled_end: number;
    }[];
    const host = new URL((db.prepare('select url from site_settings').get() as { url: string }).url).host;
    db.close();
    expect(events.map((e) => e.uid)).toEqual(rows.map((r) => `${r.public_id}@${host}`));
    events.forEach((event, i) => {
      const row = rows[i]!;
      expect(event.summary).toBe(`Postwise maintenance: ${row.title}`);
      expect(event.startDate.zone.tzid).toBe('UTC');
      expect(event.startDate.toJSDate().getTime()).toBe(row.scheduled_start);
      expect(event.endDate.toJSDate().getTime()).toBe(row.scheduled_end);
      expect(event.component.getFirstPropertyValue('status')).toBe(row.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
      expect(event.sequence).toBeGreaterThanOrEqual(0);
    });
  });
});

describe('hostile text', () => {
  const TITLE = 'Outage ]]> <script>alert("t")</script> & \u0001\u0008 🚨 مرحبا بالعالم \u202Eevil';
  const BODY = 'Body ]]> <script>alert(1)</script> <img src=x onerror=alert(1)> \u0000\u001F 📉 שלום &amp;';
  const clean = (s: string) => s.replace(/[\u0000-\u0008\u001F]/g, '');
  // Titles also lose bidi overrides and zero-width characters (issue 12, finding 12).
  const cleanTitle = (s: string) => stripInvisibleFormatting(clean(s));
  let hostile: RunningServer;
  let incidentId: string;
  let maintenanceId: string;

  // The file's server: these tests come last, and the ones before compare the feeds with the
  // database rather than with fixed lists, so the hostile rows need no server of their own.
  beforeAll(async () => {
    hostile = server;
    const now = Date.now();
    incidentId = insertIncident(hostile.databasePath, {
      title: TITLE,
      status: 'resolved',
      startedAt: now - 3_600_000,
      resolvedAt: now - 60_000,
      componentSlug: 'webhooks',
      updates: [
        { status: 'investigating', body: BODY, at: now - 3_000_000 },
        { status: 'resolved', kind: 'correction', body: `${BODY}\nsecond line`, at: now - 60_000 },
      ],
    });
    maintenanceId = insertMaintenance(hostile.databasePath, {
      title: TITLE,
      status: 'cancelled',
      start: now + 86_400_000,
      end: now + 90_000_000,
      componentSlug: 'webhooks',
      updates: [
        { status: 'scheduled', body: BODY, at: now - 7_200_000 },
        { status: 'cancelled', body: 'Called off ]]>', at: now - 3_600_000 },
      ],
    });
    // The tests above read these feeds many times, and a page read by a crowd may be answered from
    // its previous bytes for under a second after another process's write (rendered-cache.ts,
    // STALE_MS): wait until each shows the new rows, a condition rather than a pause.
    const shows = [
      ...['/history.rss', '/history.atom', '/history.json', '/components/webhooks.rss'].map((path) => [path, incidentId] as const),
      ['/maintenance.ics', maintenanceId] as const,
    ];
    const deadline = Date.now() + 30_000;
    for (const [path, id] of shows) {
      while (!(await fetchText(path)).includes(id)) {
        if (Date.now() > deadline) throw new Error(`${path} never showed ${id}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  const fetchText = async (path: string) => (await fetch(hostile.url + path)).text();

  it.each(['/history.rss', '/history.atom', '/components/webhooks.rss'])('%s round-trips the text, escaped', async (path) => {
    const xml = await fetchText(path);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // Bodies are the Markdown rendered and sanitised as on the pages: the text stays, markup that
    // could run is gone, and "]]>" is escaped so it cannot end the CDATA section.
    expect(xml).toContain('Body ]]&gt;');
    expect(xml).toContain('📉 שלום &amp;');
    expect(xml).toContain('<strong>Resolved</strong> - Correction: Body ]]&gt;');
    expect(xml).toContain('<br />second line</p>');
    expect(xml).toContain('<strong>Cancelled</strong> - Called off ]]&gt;');
    const feed = parseFeed(xml);
    const incident = feed.items.find((i) => i.url?.endsWith(`/incidents/${incidentId}`))!;
    const maintenance = feed.items.find((i) => i.url?.endsWith(`/maintenance/${maintenanceId}`))!;
    expect(incident.title).toBe(cleanTitle(TITLE));
    expect(maintenance.title).toBe(cleanTitle(TITLE));
    expect(incident.description ?? incident.content ?? '').not.toMatch(/<script|onerror|<img/);
  });

  it('/history.json round-trips the text: titles as plain text, bodies as the sanitised HTML', async () => {
    const text = await fetchText('/history.json');
    const feed = parseJsonFeed(text);
    const incident = feed.items!.find((i) => i.url?.endsWith(`/incidents/${incidentId}`))!;
    const maintenance = feed.items!.find((i) => i.url?.endsWith(`/maintenance/${maintenanceId}`))!;
    expect(incident.title).toBe(cleanTitle(TITLE));
    expect(maintenance.title).toBe(cleanTitle(TITLE));
    expect(incident.content_html).toContain('<strong>Resolved</strong> - Correction: Body ]]&gt;');
    expect(incident.content_html).toContain('📉 שלום &amp;');
    expect(maintenance.content_html).toContain('<strong>Cancelled</strong> - Called off ]]&gt;');
    expect(incident.content_html).not.toMatch(/<script|onerror|<img/);
  });

  it('keeps the feeds well-formed XML whose HTML shows the text and runs nothing (Chromium parsers)', async ({ skip }) => {
    if (!browserAvailable()) skip();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      for (const path of ['/history.rss', '/history.atom', '/components/webhooks.rss']) {
        const xml = await fetchText(path);
        const verdict = await page.evaluate(
          ({ text, incidentId }) => {
            const doc = new DOMParser().parseFromString(text, 'application/xml');
            const entries = [...doc.querySelectorAll('item, entry')];
            const mine = entries.find((e) => (e.querySelector('link')?.textContent || e.querySelector('link')?.getAttribute('href') || '').endsWith(incidentId))!;
            const asHtml = (s: string) => new DOMParser().parseFromString(s, 'text/html');
            // RSS titles are plain text; Atom marks its titles type="html". Item bodies are HTML in both.
            const htmlFields = entries.flatMap((e) => [...e.querySelectorAll('description, content, title[type="html"]')].map((f) => f.textContent ?? ''));
            const live = htmlFields.flatMap((f) => [...asHtml(f).querySelectorAll('script, img, [onerror]')]).length;
            const titleNode = mine.querySelector('title')!;
            const title = titleNode.getAttribute('type') === 'html' ? asHtml(titleNode.textContent ?? '').body.textContent : titleNode.textContent;
            const body = asHtml(mine.querySelector('description, content')!.textContent ?? '').body.textContent;
            return { errors: doc.getElementsByTagName('parsererror').length, items: entries.length, live, title, body };
          },
          { text: xml, incidentId },
        );
        expect(verdict.errors, path).toBe(0);
        expect(verdict.items, path).toBe(parseFeed(xml).items.length);
        expect(verdict.live, path).toBe(0);
        expect(verdict.title, path).toBe(cleanTitle(TITLE));
        expect(verdict.body, path).toContain('Body ]]>');
        expect(verdict.body, path).toContain('📉 שלום &');
        expect(verdict.body, path).not.toContain('alert');
      }
    } finally {
      await browser.close();
    }
  });

  it('keeps the calendar valid and marks the cancelled window', async () => {
    const events = new ICAL.Component(ICAL.parse(await fetchText('/maintenance.ics'))).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const event = events.find((e) => e.uid.startsWith(`${maintenanceId}@`))!;
    expect(event.summary).toBe(`Postwise maintenance: ${clean(TITLE)}`);
    expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.sequence).toBeGreaterThan(0);
  });
});
