// What a customer sees first, in Chromium with JavaScript off, during a critical incident whose
// component is only marked "partial outage" (the standard indicator then reads "Minor Service
// Outage"): the headline, the order of incidents, current levels, the bars' figures and tap
// targets on a phone, tables that fit, plain wording, and the small things around them.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../db/client.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { correctImpactWindow } from '../../src/server/commands/correct-impact-window.ts';
import { resolveIncident } from '../../src/server/commands/resolve-incident.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const hasBrowser = browserAvailable();
const CRITICAL = 'Outgoing mail delayed for EU customers';
const FAILOVER = 'Email delivery outage after Amsterdam datacentre failure';
const SHORT = 'Brief relay hiccup during certificate rotation';

describe.skipIf(!hasBrowser)('the status page at a glance', () => {
  let server: RunningServer;
  let browser: Browser;
  // One JavaScript-off page for the file, navigated from test to test (a new page or context is a
  // new renderer to start); each look sets the phone's or the desktop's viewport before it loads.
  let page: Page;
  const phone = { width: 390, height: 844 };
  const desktop = { width: 1280, height: 900 };
  let criticalId: string;
  let failoverId: string;
  let shortId: string;

  beforeAll(async () => {
    server = await startServer();
    const db = openDatabase(server.databasePath, path.resolve('db/migrations'));
    const one = <T,>(sql: string) => db.$client.prepare(sql).get() as T;
    const relay = one<{ public_id: string }>("select public_id from components where slug = 'smtp-relay'");
    failoverId = one<{ public_id: string }>(`select public_id from incidents where title = '${FAILOVER}'`).public_id;
    const now = Date.now();
    criticalId = openIncident(
      db,
      SYSTEM_OWNER,
      {
        title: CRITICAL,
        impact: 'critical',
        message: 'Mail through the SMTP relay is **delayed by up to 40 minutes**.',
        components: [{ componentId: relay.public_id, level: 'partial_outage' }],
        startedAt: now - 47 * 60_000,
      },
      now,
    ).publicId;
    // Seconds that used to round apart: started hh:00:40, failover hh:02:30, customers back hh:02:50
    // ("1 min" failover, "2 min" impact, "less than a minute after failover").
    const base = Math.floor(now / 60_000) * 60_000 - 3 * 60 * 60_000;
    const at = (min: number, sec: number) => base + min * 60_000 + sec * 1000;
    shortId = openIncident(
      db,
      SYSTEM_OWNER,
      { title: SHORT, impact: 'minor', message: 'Some mail is retried.', components: [{ componentId: relay.public_id, level: 'degraded_performance' }], startedAt: at(0, 40) },
      at(1, 1),
    ).publicId;
    correctImpactWindow(
      db,
      SYSTEM_OWNER,
      shortId,
      { reason: 'Times from the relay logs.', startedAt: at(0, 40), mitigatedAt: at(2, 30), periods: [{ componentId: relay.public_id, level: 'degraded_performance', startedAt: at(0, 40), endedAt: at(2, 50) }] },
      at(3, 0),
    );
    resolveIncident(db, SYSTEM_OWNER, shortId, { message: 'All mail delivered.', verifiedEndToEnd: true }, at(3, 10));
    db.$client.close();
    browser = await launchBrowser();
    page = await (await browser.newContext({ javaScriptEnabled: false, viewport: desktop })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The page at that viewport, navigated to `p`: a fresh load of the page, as a reader opening it. */
  const open = async (viewport: typeof phone, p: string, origin = server.url): Promise<Page> => {
    await page.setViewportSize(viewport);
    await page.goto(origin + p);
    return page;
  };

  it('never headlines better than the worst unresolved incident, and says why', async () => {
    const page = await open(desktop, '/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Major System Outage');
    await expect(page.locator('.banner-reason').textContent()).resolves.toBe('2 incidents in progress: 1 critical, 1 minor');
    // Worst impact first, although the minor incident started earlier.
    const titles = await page.locator('#active-h ~ .incident-card .incident-title').allTextContents();
    expect(titles).toEqual([CRITICAL, 'Elevated latency on webhook deliveries']);

    // The standard API keeps its component-derived indicator; Candor's own JSON carries both.
    const standard = (await (await fetch(`${server.url}/api/v2/status.json`)).json()) as { status: unknown };
    const own = (await (await fetch(`${server.url}/api/status.json`)).json()) as Record<string, any>;
    expect(standard.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    expect(own.status).toEqual(standard.status);
    expect(own.headline).toEqual({ indicator: 'critical', description: 'Major System Outage', reason: '2 incidents in progress: 1 critical, 1 minor' });
    expect(own.unresolved_incidents.map((i: { id: string }) => i.id)[0]).toBe(criticalId);
  });

  it("shows each affected component's current level, and its worst only as history", async () => {
    const page = await open(desktop, `/incidents/${failoverId}`);
    const items = await page.locator('.affected-list > li').allTextContents();
    expect(items.length).toBeGreaterThan(1);
    for (const text of items) {
      // Resolved: every component is operational now; what it went through is dated history.
      expect(text).toMatch(/Operational\s+\(was (Major outage|Partial outage|Degraded performance) \d/);
    }
    await page.goto(`${server.url}/incidents/${criticalId}`);
    await expect(page.locator('.affected-list > li').allTextContents()).resolves.toEqual([expect.stringMatching(/^\s*SMTP relay\s+Partial outage\s*$/)]);
  });

  it('puts the figure of the days shown beside the bars, and makes each day a 24 px tap target on a phone', async () => {
    const days = (page: Page) =>
      page.getByRole('list', { name: 'SMTP relay, daily status' }).locator('li:visible').evaluateAll((items) =>
        items.reduce((sum, li) => sum + Number((li as HTMLElement).style.getPropertyValue('--n') || 1), 0),
      );
    const legend = (page: Page) => page.locator('.component', { hasText: 'SMTP relay' }).locator('.bars-legend span:visible').allTextContents();

    const wide = await open(desktop, '/');
    await expect(days(wide)).resolves.toBe(90);
    await expect(legend(wide)).resolves.toEqual(['90 days ago', expect.stringMatching(/^\d+(\.\d+)?% uptime over 90 days$/), 'Today']);

    const narrow = await open(phone, '/');
    await expect(days(narrow)).resolves.toBe(14);
    await expect(legend(narrow)).resolves.toEqual(['14 days ago', expect.stringMatching(/^\d+(\.\d+)?% uptime over 14 days$/), 'Today']);
    // Today's bars link to the incidents; every day is at least 24 × 24 px.
    const boxes = await narrow.locator('.bars li:visible').evaluateAll((items) =>
      items.map((li) => {
        const r = li.getBoundingClientRect();
        return { width: r.width / Number((li as HTMLElement).style.getPropertyValue('--n') || 1), height: r.height };
      }),
    );
    expect(boxes.length).toBeGreaterThanOrEqual(6);
    for (const box of boxes) {
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.height).toBeGreaterThanOrEqual(24);
    }
    await expect(narrow.locator('.bars li:visible > a').count()).resolves.toBeGreaterThanOrEqual(2);
  });

  it('fits the uptime tables on a phone: every figure, credit included, and the caption on screen', async () => {
    const page = await open(phone, '/uptime');
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBeLessThanOrEqual(0);
    const credits = page.locator('.uptime-table td[data-label="Credit"]');
    expect(await credits.count()).toBeGreaterThan(3);
    for (const cell of await credits.all()) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await expect(cell.evaluate((td) => getComputedStyle(td, '::before').content)).resolves.toBe('"Credit"');
    }
    for (const caption of await page.locator('.uptime-table caption').all()) {
      await expect(caption.evaluate((c) => c.scrollWidth <= c.clientWidth && c.getBoundingClientRect().right <= 390)).resolves.toBe(true);
    }
  });

  it('uses plain words unless the incident was a failover', async () => {
    const home = await open(desktop, '/');
    const card = home.locator('.incident-card', { hasText: 'Elevated latency on webhook deliveries' });
    await expect(card.locator('.card-durations').textContent()).resolves.toMatch(/Fixed on our side: not yet \(.+ so far\)/);
    await expect(home.locator('#active-h ~ .incident-card').filter({ hasText: /Failover/ }).count()).resolves.toBe(0);
    await home.goto(`${server.url}/incidents/${failoverId}`);
    await expect(home.locator('.duration-label').first().textContent()).resolves.toBe('Failover duration');
    await expect(home.locator('.after-failover').textContent()).resolves.toMatch(/after failover completed\.$/);
    await home.goto(`${server.url}/incidents/${criticalId}`);
    await expect(home.locator('.duration-label').first().textContent()).resolves.toBe('Time to fix on our side');
    await expect(home.locator('.moments dt').allTextContents()).resolves.toContain('Fixed on our side');
  });

  it('rounds every duration the same way, so they agree with the clock times and add up', async () => {
    const page = await open(desktop, `/incidents/${shortId}`);
    await expect(page.locator('.duration-value').allTextContents()).resolves.toEqual(['2 min', '2 min']);
    // Both read 2 min, so no "less than a minute after" sentence contradicts them.
    await expect(page.locator('.after-failover').count()).resolves.toBe(0);
    const doc = (await (await fetch(`${server.url}/api/incidents/${shortId}.json`)).json()) as Record<string, any>;
    // The JSON keeps the exact milliseconds beside the words the page shows.
    expect(doc.durations.failover).toMatchObject({ ms: 110_000, formatted: '2 min' });
    expect(doc.durations.customer_impact).toMatchObject({ ms: 130_000, formatted: '2 min' });
  });

  it('gets the small things right: badges, footer, maintenance, calendar link, colour key, legend', async () => {
    const history = await open(desktop, '/history');
    const badges = await history.locator('.impact-badge').allTextContents();
    expect(badges).toContain('No impact');
    expect(badges.filter((b) => /impact impact/i.test(b))).toEqual([]);
    await history.goto(server.url + '/');
    await expect(history.locator('.site-footer p').first().innerText()).resolves.toMatch(/^Subscribe: .*RSS · Atom · Maintenance calendar · JSON API$/);
    await expect(history.locator('a[href="/maintenance.ics"]').count()).resolves.toBeGreaterThanOrEqual(2);
    const meta = await history.locator('.maintenance-card .incident-meta').first().innerText();
    expect(meta).toMatch(/^MAINTENANCE\s+Scheduled\s+Planned for \d/);
    await expect(history.getByRole('list', { name: /Colours of the daily bars/ }).locator('li').allTextContents()).resolves.toEqual([
      'Operational', 'Degraded performance', 'Partial outage', 'Major outage', 'Under maintenance', 'No data',
    ]);
    // A major outage reads heavier than a partial one: solid, and darker.
    const fills = await history.evaluate(() => {
      const luminance = (color: string) => {
        const probe = document.createElement('i');
        probe.style.color = color;
        document.body.append(probe);
        const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        probe.remove();
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const root = getComputedStyle(document.documentElement);
      return {
        major: luminance(root.getPropertyValue('--major-fill')),
        partial: luminance(root.getPropertyValue('--partial-fill')),
        majorImage: getComputedStyle(document.querySelector('.bar-key .b-mo')!).backgroundImage,
      };
    });
    expect(fills.majorImage).toBe('none');
    expect(fills.major).toBeLessThan(fills.partial);

    // At 390 px each swatch of the timeline legend stays beside its label.
    const incident = await open(phone, `/incidents/${failoverId}`);
    for (const item of await incident.locator('.timeline-graphic .key-item').all()) {
      const [swatch, label] = await Promise.all([item.locator('.key').boundingBox(), item.boundingBox()]);
      expect(Math.abs(swatch!.y + swatch!.height / 2 - (label!.y + Math.min(label!.height, 20) / 2))).toBeLessThan(8);
    }
  });

  it('on a fresh install without demo data, reads "Status" once and shows no empty Components heading', async () => {
    const fresh = await startServer({ CANDOR_DEMO: 'false' });
    try {
      const page = await open(desktop, '/', fresh.url);
      await expect(page.title()).resolves.toBe('Status');
      await expect(page.locator('.brand').innerText()).resolves.toBe('Status');
      await expect(page.getByRole('heading', { name: 'Components' }).count()).resolves.toBe(0);
    } finally {
      await fresh.stop();
    }
  });
});
