// Subscribing over HTTP against the built server, the way a person without JavaScript does it:
// the server's own delivery worker mails a real SMTP server in this process (smtp-server), the
// test reads the links from what arrived (mailparser) and follows them.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/server/api-tokens.ts';
import { startMailSink, type MailSink } from '../support/mail-sink.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken } from '../support/server-db.ts';
import { adminClient, decodeEntities } from '../support/admin-client.ts';
import { createStaff, signIn } from '../support/staff.ts';

let server: RunningServer;
let sink: MailSink;

beforeAll(async () => {
  sink = await startMailSink();
  server = await startServer({ CANDOR_SMTP_URL: sink.url, CANDOR_MAIL_FROM: 'Postwise Status <status@postwise.test>', CANDOR_WEBHOOK_ALLOW_PRIVATE: 'true' });
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

let tokens = 0;
const makeToken = (scopes: Scope[]) => createToken(server.databasePath, `test ${++tokens} ${scopes.join(' ')}`, scopes).token;

const count = (query: string, ...params: unknown[]) => {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return (db.prepare(query).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
};

async function mailTo(address: string, subject: RegExp, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = sink.mails.find((m) => JSON.stringify(m.to).includes(address) && subject.test(m.subject ?? ''));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${address}; got: ${sink.mails.map((m) => m.subject).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The link in a mail, pointed at the test server (the demo site's URL is localhost:4321). */
const local = (text: string, route: string) => {
  const match = new RegExp(`https?://[^/\\s]+(${route.replace(/\//g, '\\/')}\\?token=[\\w-]+)`).exec(text);
  if (!match) throw new Error(`no ${route} link in ${text}`);
  return `${server.url}${match[1]}`;
};

const post = (route: string, fields: [string, string][]) =>
  fetch(`${server.url}${route}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

describe('subscribing by email without JavaScript', () => {
  it('shows a form with every component and no script', async () => {
    const res = await fetch(`${server.url}/subscribe`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/subscribe"');
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*name="components"[^>]*value="smtp-relay"/);
    expect(html).not.toContain('<script');
    expect((await (await fetch(`${server.url}/`)).text())).toContain('href="/subscribe"');
  });

  it('keeps what was typed and says what is wrong, next to the field', async () => {
    const res = await post('/subscribe', [['email', 'not an address'], ['components', 'smtp-relay']]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter an email address like name@example.com.');
    expect(html).toContain('value="not an address"');
    expect(html).toMatch(/value="smtp-relay" checked/);
  });

  it('confirms by mail, delivers an incident on the chosen component, and leaves with one click', async () => {
    const res = await post('/subscribe', [['email', 'erin@example.test'], ['components', 'smtp-relay']]);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    const confirmation = await mailTo('erin@example.test', /Confirm your subscription/);
    const confirmed = await fetch(local(confirmation.text!, '/subscribe/confirm'));
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('cache-control')).toContain('no-store');
    expect(await confirmed.text()).toContain('You are subscribed');

    const token = makeToken(['incidents:write']);
    const relay = count("select count(*) as n from components where slug = 'smtp-relay'");
    expect(relay).toBe(1);
    const componentId = (() => {
      const db = new Database(server.databasePath, { readonly: true });
      try {
        return (db.prepare("select public_id as id from components where slug = 'smtp-relay'").get() as { id: string }).id;
      } finally {
        db.close();
      }
    })();
    const opened = await fetch(`${server.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Relay refusing mail', impact: 'major', message: 'We see 421 replies.', components: [{ component_id: componentId, level: 'major_outage' }] }),
    });
    expect(opened.status).toBe(201);
    const notice = await mailTo('erin@example.test', /Investigating: Relay refusing mail/);
    expect(notice.text).toContain('SMTP relay: Major outage');
    expect(notice.text).toMatch(/Customers have been affected for .* so far\./);

    // RFC 8058: a POST of List-Unsubscribe=One-Click to the header's URL, nothing else.
    const header = notice.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ');
    const oneClick = await fetch(local(header, '/subscribe/unsubscribe'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(count("select count(*) as n from subscribers where email = 'erin@example.test'")).toBe(0);
  });

  it('subscribes to a whole group, which the manage page shows ticked, and hears about its components', async () => {
    const form = await (await fetch(`${server.url}/subscribe`)).text();
    const sending = /<input[^>]*name="groups"[^>]*value="([a-z0-9]+)"[^>]*>\s*All of Sending/.exec(form)?.[1];
    expect(sending).toMatch(/^[a-z0-9]{12}$/);
    expect((await post('/subscribe', [['email', 'gina@example.test'], ['groups', sending!]])).status).toBe(200);
    const confirmation = await mailTo('gina@example.test', /Confirm your subscription/);
    const confirmed = await (await fetch(local(confirmation.text!, '/subscribe/confirm'))).text();
    const manage = /href="(\/subscribe\/manage\?token=[\w-]+)"/.exec(confirmed)![1]!;
    const page = await (await fetch(`${server.url}${manage}`)).text();
    expect(page).toMatch(new RegExp(`name="groups" value="${sending}" checked`));
    expect(page).not.toMatch(/name="components" value="[^"]+" checked/);

    const token = makeToken(['incidents:write']);
    const sendApi = (() => {
      const db = new Database(server.databasePath, { readonly: true });
      try {
        return (db.prepare("select public_id as id from components where slug = 'send-api'").get() as { id: string }).id;
      } finally {
        db.close();
      }
    })();
    const opened = await fetch(`${server.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Send API slow', impact: 'minor', message: 'Requests take seconds.', components: [{ component_id: sendApi, level: 'degraded_performance' }] }),
    });
    expect(opened.status).toBe(201);
    expect((await mailTo('gina@example.test', /Send API slow/)).text).toContain('Send API: Degraded performance');
  });

  it('answers the same for an address that is already subscribed', async () => {
    const first = await (await post('/subscribe', [['email', 'frank@example.test']])).text();
    const again = await (await post('/subscribe', [['email', 'frank@example.test']])).text();
    const strip = (html: string) => html.replace(/<meta[^>]*>/g, '');
    expect(strip(again)).toBe(strip(first));
  });
});

describe('subscribers in the write API', () => {
  it('adds a webhook (secret shown once), lists it and removes it; needs subscribers:write', async () => {
    const token = makeToken(['subscribers:write']);
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const added = await fetch(`${server.url}/api/admin/subscribers`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ channel: 'webhook', url: 'https://hooks.example.test/x', email: 'ops@example.test', components: ['send-api'] }),
    });
    expect(added.status).toBe(201);
    const { subscriber } = (await added.json()) as { subscriber: { id: string; secret: string; components: string[] } };
    expect(subscriber.secret).toMatch(/^whsec_/);
    expect(subscriber.components).toEqual(['Send API']);
    const list = (await (await fetch(`${server.url}/api/admin/subscribers`, { headers: auth })).json()) as { subscribers: { id: string; secret?: string }[] };
    const listed = list.subscribers.find((s) => s.id === subscriber.id)!;
    expect(listed).toBeDefined();
    expect(listed.secret).toBeUndefined();
    const bad = await fetch(`${server.url}/api/admin/subscribers`, { method: 'POST', headers: auth, body: JSON.stringify({ channel: 'slack' }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields.url).toMatch(/URL/);
    // A whole group, by its id in /api/v2/components.json; an unknown one is refused beside its field.
    const { components } = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; name: string; group: boolean }[] };
    const receiving = components.find((c) => c.group && c.name === 'Receiving')!.id;
    const grouped = await fetch(`${server.url}/api/admin/subscribers`, { method: 'POST', headers: auth, body: JSON.stringify({ channel: 'discord', url: 'https://discord.example.test/api/webhooks/1/x', groups: [receiving] }) });
    expect(grouped.status).toBe(201);
    expect(((await grouped.json()) as { subscriber: { components: string[]; groups: string[] } }).subscriber).toMatchObject({ components: [], groups: ['Receiving'] });
    const unknown = await fetch(`${server.url}/api/admin/subscribers`, { method: 'POST', headers: auth, body: JSON.stringify({ channel: 'discord', url: 'https://discord.example.test/api/webhooks/1/y', groups: ['nosuchgroup0'] }) });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { fields: Record<string, string> } }).error.fields.groups).toMatch(/groups from the list/);
    const removed = await fetch(`${server.url}/api/admin/subscribers/${subscriber.id}`, { method: 'DELETE', headers: auth });
    expect(removed.status).toBe(204);
    const readOnly = makeToken(['read']);
    expect((await fetch(`${server.url}/api/admin/subscribers`, { headers: { Authorization: `Bearer ${readOnly}` } })).status).toBe(403);
  });
});

describe('the workspace', () => {
  it('lists subscribers with counts, adds a Slack destination, exports CSV for owners only, removes', async () => {
    await createStaff(server.databasePath, { email: 'owner@example.test', password: 'lantern orchard pebble', role: 'owner' });
    await createStaff(server.databasePath, { email: 'editor@example.test', password: 'lantern orchard pebble', role: 'editor' });
    const owner = adminClient(server.url, await signIn(server.url, 'owner@example.test', 'lantern orchard pebble'));
    const editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', 'lantern orchard pebble'));
    const page = decodeEntities(await (await owner.get('/admin/subscribers')).text());
    expect(page).toContain('mail-admin@contoso.example');
    expect(page).toContain('demo (never sent to)');

    const bad = await editor.post('/admin/subscribers', { intent: 'add', channel: 'slack', url: 'not a url', label: '#ops', components: ['smtp-relay'] });
    expect(bad.status).toBe(422);
    const badHtml = decodeEntities(await bad.text());
    expect(badHtml).toContain('Enter a full http(s) URL');
    expect(badHtml).toContain('value="#ops"');
    expect(badHtml).toMatch(/value="smtp-relay" checked/);

    const added = await editor.post('/admin/subscribers', { intent: 'add', channel: 'slack', url: 'https://hooks.slack.example/T1/B2', label: '#ops', components: ['smtp-relay'] });
    expect(added.status).toBe(303);
    expect(decodeEntities(await (await editor.get('/admin/subscribers?q=%23ops')).text())).toContain('SMTP relay');

    expect((await editor.get('/admin/subscribers/export.csv')).status).toBe(403);
    const csv = await owner.get('/admin/subscribers/export.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('id,channel,email,url,label,confirmed,components,groups,source,created_at,disabled_at,disabled_reason');
    expect(text).toContain('https://hooks.slack.example/T1/B2,#ops,true,SMTP relay,,staff');

    const id = /^(\w+),slack,,https:\/\/hooks\.slack\.example/m.exec(text)![1]!;
    expect((await editor.post('/admin/subscribers', { intent: 'remove', subscriber: id })).status).toBe(303);
    expect(count('select count(*) as n from subscribers where public_id = ?', id)).toBe(0);
    expect((await owner.get('/admin/notifications')).status).toBe(200);
  });

  it('posts quietly when "Notify subscribers" is unticked, and tells subscribers when it is ticked (the default)', async () => {
    const editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', 'lantern orchard pebble'));
    expect(await (await editor.get('/admin/incidents/new')).text()).toMatch(/name="notify"[^>]*checked/);
    const before = count('select count(*) as n from notifications');
    const quiet = await editor.post('/admin/incidents/new', { intent: 'open-anyway', title: 'Quiet one', impact: 'minor', message: 'Nothing to tell.', notifyOffered: '1' });
    expect(quiet.status).toBe(303);
    expect(count('select count(*) as n from notifications')).toBe(before);
    const told = await editor.post('/admin/incidents/new', { intent: 'open-anyway', title: 'Told one', impact: 'minor', message: 'Tell everyone.', notifyOffered: '1', notify: 'on' });
    expect(told.status).toBe(303);
    expect(count("select count(*) as n from notifications where subject like '%Told one'")).toBe(1);
  });
});

describe('throttling', () => {
  it('limits subscription requests per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('/subscribe', [['email', `bulk${i}@example.test`]])).status);
    const refused = await post('/subscribe', [['email', 'one-more@example.test']]);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Too many subscription requests');
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
  });
});
