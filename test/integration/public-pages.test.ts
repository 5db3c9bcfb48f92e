import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;
let failoverId: string;
let ongoingId: string;

beforeAll(async () => {
  server = await startServer();
  const db = new Database(server.databasePath, { readonly: true });
  failoverId = (db.prepare("select public_id from incidents where title like 'Email delivery outage%'").get() as { public_id: string }).public_id;
  ongoingId = (db.prepare("select public_id from incidents where status <> 'resolved'").get() as { public_id: string }).public_id;
  db.close();
});
afterAll(() => server?.stop());

const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

describe('home page', () => {
  it('lists the demo components, the ongoing incident and the standard description', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    for (const name of ['Send API', 'SMTP relay', 'Inbound email', 'Webhooks', 'Admin console', 'Statistics']) {
      expect(html).toContain(name);
    }
    expect(html).toContain('Elevated latency on webhook deliveries');
    expect(html).toContain(`href="/incidents/${ongoingId}"`);
    // Webhooks is degraded, everything else operational.
    expect(html).toContain('Partially Degraded Service');
    expect(html).toMatch(/<ol class="bars" aria-label="Send API, daily status">/);
    // Every component's list covers 90 days: one item per day, or one per quiet stretch of --n days.
    const lists = html.match(/<ol class="bars"[\s\S]*?<\/ol>/g) ?? [];
    expect(lists).toHaveLength(6);
    for (const list of lists) {
      const days = (list.match(/<li class="b-[^"]*"( style="--n:\d+")?/g) ?? []).reduce((sum, li) => sum + Number(/--n:(\d+)/.exec(li)?.[1] ?? 1), 0);
      expect(days).toBe(90);
    }
    // Each day with an incident keeps its own item and links to it.
    expect(html).toMatch(/<li class="b-dg"><a href="\/incidents\/[a-z0-9]{12}"><span>\d{1,2} \w{3}: [^<]*Degraded performance<\/span>/);
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
  });

  it('uses <time datetime> for every shown instant', async () => {
    const html = await (await get('/')).text();
    const times = html.match(/<time datetime="[^"]+">/g) ?? [];
    expect(times.length).toBeGreaterThan(2);
    for (const t of times) expect(t).toMatch(/datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
  });
});

describe('incident page', () => {
  it('shows a 3 h failover beside more than 2 days of customer impact', async () => {
    const res = await get(`/incidents/${failoverId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Failover duration<\/p><p class="duration-value">3 h</);
    expect(html).toMatch(/Customer-facing impact duration<\/p><p class="duration-value">2 d 6 h</);
    expect(html).toContain('Customers remained affected for 2 days 3 hours after failover completed');
    expect(html).toContain('First public update');
    expect(html).toContain('after 47 min');
    expect(html).toContain('kind-badge-apology');
    expect(html).toContain('kind-badge-correction');
    expect(html).toContain('Post-mortem');
    expect(html).toContain('Impact window corrected on');
    expect(html).toContain('<svg');
  });

  it('shows an ongoing incident as still counting', async () => {
    const html = await (await get(`/incidents/${ongoingId}`)).text();
    expect(html).toContain('so far — still affected');
    expect(html).toContain('Not yet — customers are still affected');
  });
});

describe('other pages', () => {
  it('serves history, component and maintenance pages', async () => {
    const history = await get('/history');
    expect(history.status).toBe(200);
    const html = await history.text();
    expect(html).toContain('Email delivery outage after Amsterdam datacentre failure');
    const maintenanceId = html.match(/href="\/maintenance\/([a-z0-9]{12})"/)?.[1];
    expect(maintenanceId).toBeDefined();
    expect((await get(`/maintenance/${maintenanceId}`)).status).toBe(200);
    const component = await get('/components/smtp-relay');
    expect(component.status).toBe(200);
    expect(await component.text()).toContain('Email delivery outage after Amsterdam datacentre failure');
  });

  it('filters history by component and paginates', async () => {
    const html = await (await get('/history?component=statistics')).text();
    expect(html).toContain('Delayed statistics in dashboard');
    expect(html).not.toContain('Inbound mail rejected with 550 errors');
    const older = await (await get('/history?page=2')).text();
    expect(older).toContain('Admin console sign-in failures');
    expect(older).toContain('rel="prev"');
  });
});

describe('not found and HEAD', () => {
  it.each(['/incidents/doesnotexist', '/components/nope', '/maintenance/zzzzzzzzzzzz', '/history?component=nope', '/no/such/page'])(
    '%s answers 404 with a helpful page',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('See the current status of Postwise');
    },
  );

  it.each(['/', '/history', `/components/send-api`])('HEAD %s answers 200 without a body', async (path) => {
    const res = await get(path, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('HEAD on an incident page answers 200', async () => {
    expect((await get(`/incidents/${failoverId}`, { method: 'HEAD' })).status).toBe(200);
  });
});
