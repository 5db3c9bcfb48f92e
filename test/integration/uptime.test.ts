import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;
let failover: { publicId: string; monthKey: string };

const monthKeyOf = (at: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit' }).format(at).slice(0, 7);
const monthLabelOf = (at: number) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'long' }).format(at);

beforeAll(async () => {
  server = await startServer();
  const db = new Database(server.databasePath, { readonly: true });
  const row = db.prepare("select public_id, started_at from incidents where title like 'Email delivery outage%'").get() as {
    public_id: string;
    started_at: number;
  };
  db.close();
  failover = { publicId: row.public_id, monthKey: monthKeyOf(row.started_at) };
});
afterAll(() => server?.stop());

const get = (path: string) => fetch(server.url + path);
/** The table row naming `name`, tags stripped and whitespace collapsed. */
const rowText = (html: string, name: string) => {
  const row = html.split('<tr>').find((r) => r.includes(`>${name}</a>`)) ?? '';
  return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
};

describe('/uptime', () => {
  it('shows the current month with a GET month selector, figures per component and the rules in force', async () => {
    const res = await get('/uptime');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`Uptime and SLA — ${monthLabelOf(Date.now())}`);
    expect(html).toMatch(/<form class="filter" method="get" action="\/uptime">/);
    expect(html).toContain('<select name="month">');
    expect(html).toContain(`<option value="${monthKeyOf(Date.now())}" selected>`);
    expect(html).toMatch(/<a href="\/uptime\?month=\d{4}-\d{2}" rel="prev">/);
    expect(html).not.toContain('rel="next"');
    for (const name of ['Send API', 'SMTP relay', 'Inbound email', 'Webhooks', 'Admin console', 'Statistics']) {
      expect(rowText(html, name)).toMatch(/\d+(\.\d\d)?% .*(Met so far|Below target so far|Missed)/);
    }
    expect(html).toContain('Availability = 1 − weighted downtime ÷ counted time.');
    expect(html).toContain('Partial outage: weight 0.3 — an hour counts as 18 min of downtime.');
    expect(html).toContain('announced at least 30 days ahead, lasts at most 48 hours and is one of at most 2 windows in its calendar year');
    expect(html).toContain('10% credit below 99.90% and 25% credit below 99.00% of the monthly fee');
    expect(html).toContain('Targets from the site default policy, Email platform SLA');
    expect(html).not.toContain('script');
  });

  it('shows the failover month: the SMTP relay missed its target and owes a credit; first update after 47 min', async () => {
    const res = await get(`/uptime?month=${failover.monthKey}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const relay = rowText(html, 'SMTP relay');
    expect(relay).toMatch(/^SMTP relay · Sending 9\d\.\d\d% 99\.90% Missed .* (10|25)%$/);
    expect(html).toContain(`href="/incidents/${failover.publicId}"`);
    const incident = html.split('<tr>').find((r) => r.includes(failover.publicId))!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(incident).toMatch(/Critical .* 47 min 2 h Within target/);
    expect(html).toContain('rel="next"');
  });

  it.each([
    ['2026-13', '“2026-13” is not a month. Use the form YYYY-MM, for example 2026-10.'],
    ['<b>x', '“&lt;b&gt;x” is not a month.'],
    ['9999-01', 'January 9999 has not started yet;'],
  ])('answers ?month=%s with 400 and a clear message, showing the current month', async (param, message) => {
    const res = await get(`/uptime?month=${encodeURIComponent(param)}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`<p class="uptime-problem" role="alert">${message}`);
    expect(html).toContain(`Uptime and SLA — ${monthLabelOf(Date.now())}`);
    expect(html).not.toContain('<b>x');
  });
});

describe('/components/<slug> monthly uptime', () => {
  it('lists the last 12 months, newest first, each linking to its uptime month', async () => {
    const res = await get('/components/smtp-relay');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2 id="monthly-h">Monthly uptime</h2>');
    const months = [...html.matchAll(/<a href="\/uptime\?month=(\d{4}-\d{2})">/g)].map((m) => m[1]);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe(monthKeyOf(Date.now()));
    expect([...months].sort().reverse()).toEqual(months);
    expect(months).toContain(failover.monthKey);
  });
});
