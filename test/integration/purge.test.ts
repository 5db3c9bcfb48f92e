// Purge on write (CANDOR_PURGE_URL): a public write puts the URLs it changed in the outbox, in its own
// transaction, and the delivery worker POSTs them to the purge URL — retried when the CDN's API
// fails, nothing queued for a refused write. Also the outbox as /metrics shows it.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, total } from '../support/prometheus-text.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken } from '../support/server-db.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

const PUBLIC_URL = 'https://status.example.test';
const SECRET = 'Bearer purge-secret-0123456789';

let server: RunningServer;
let receiver: Receiver;
let token: string;
let component: string;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startServer({ CANDOR_PURGE_URL: `${receiver.url}/purge`, CANDOR_PURGE_AUTHORIZATION: SECRET, CANDOR_PUBLIC_URL: PUBLIC_URL, CANDOR_METRICS: 'true' });
  token = createToken(server.databasePath, 'Purge test', ['incidents:write']).token;
  const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; group: boolean }[] };
  component = components.components.find((c) => !c.group)!.id;
});
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

const purges = () => {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return db.prepare(`select status, attempts, last_error as lastError, payload from deliveries where kind = 'purge' order by id`).all() as {
      status: string;
      attempts: number;
      lastError: string | null;
      payload: string | null;
    }[];
  } finally {
    db.close();
  }
};

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server output:\n${server.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function openIncident(body: Record<string, unknown>) {
  return fetch(`${server.url}/api/admin/incidents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('purge on write', () => {
  it('keeps a purge the CDN refused in the outbox for a retry, and shows it in the metrics', async () => {
    receiver.answers.push(503);
    const opened = await openIncident({ title: 'Purge refused', impact: 'minor', message: 'Looking.', components: [{ component_id: component, level: 'degraded_performance' }] });
    expect(opened.status).toBe(201);
    const [first] = await until('the failed attempt', () => purges().find((p) => p.attempts === 1) && purges());
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('503') });
    const scraped = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    expect(total(scraped, 'candor_outbox_pending', { kind: 'purge' })).toBeGreaterThanOrEqual(1);
    expect(total(scraped, 'candor_outbox_failed_attempts')).toBeGreaterThanOrEqual(1);
  });

  it('POSTs the changed public URLs with the configured Authorization, and never logs it', async () => {
    const before = receiver.received.length;
    const opened = await openIncident({ title: 'Purge accepted', impact: 'minor', message: 'Looking.', components: [{ component_id: component, level: 'degraded_performance' }] });
    expect(opened.status).toBe(201);
    const id = ((await opened.json()) as { incident: { id: string } }).incident.id;
    const request = await until('the purge request', () => receiver.received.slice(before).find((r) => r.body.includes(`/incidents/${id}`)));
    expect(request.path).toBe('/purge');
    expect(request.headers.authorization).toBe(SECRET);
    expect(request.headers['content-type']).toBe('application/json');
    const { files } = JSON.parse(request.body) as { files: string[] };
    expect(files).toEqual(expect.arrayContaining([`${PUBLIC_URL}/`, `${PUBLIC_URL}/incidents/${id}`, `${PUBLIC_URL}/api/incidents/${id}.json`, `${PUBLIC_URL}/api/v2/summary.json`, `${PUBLIC_URL}/history.rss`]));
    expect(files.every((f) => f.startsWith(`${PUBLIC_URL}/`))).toBe(true);
    expect(files.length).toBeLessThanOrEqual(30); // Cloudflare's limit per call
    // The affected component's pages too: the write's page_changes rows name it, the audit does not.
    const slug = await until('the component purge', () =>
      receiver.received
        .slice(before)
        .flatMap((r) => (JSON.parse(r.body) as { files: string[] }).files)
        .map((f) => /\/components\/([a-z0-9-]+)\/badge\.svg$/.exec(f)?.[1])
        .find(Boolean),
    );
    const all = receiver.received.slice(before).flatMap((r) => (JSON.parse(r.body) as { files: string[] }).files);
    expect(all).toEqual(expect.arrayContaining([`${PUBLIC_URL}/components/${slug}`, `${PUBLIC_URL}/components/${slug}.rss`]));
    await until('the delivery to be recorded', () => purges().some((p) => p.status === 'delivered'));
    expect(server.output()).not.toContain('purge-secret');
  });

  it('queues nothing for a refused write', async () => {
    const before = purges().length;
    const refused = await openIncident({ title: '', impact: 'minor', message: 'x' });
    expect(refused.status).toBe(422);
    expect(purges()).toHaveLength(before);
  });
});
