// Recording after the fact over HTTP: the public page says when an update was recorded and what
// time it is about; a past maintenance window says it was recorded after it began.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntities } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken } from '../support/server-db.ts';

const HOUR = 3_600_000;
let server: RunningServer;
let token: string;
let smtp: string;

async function post(route: string, body: unknown) {
  const res = await fetch(server.url + route, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  server = await startServer();
  token = createToken(server.databasePath, 'Back-office', ['incidents:write', 'maintenance:write']).token;
  const components = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; name: string }[] };
  smtp = components.components.find((c) => c.name === 'SMTP relay')!.id;
});
afterAll(() => server?.stop());

describe('recorded after the fact', () => {
  it('shows "Recorded at …, about events at …" and counts time to first update from publication', async () => {
    const startedAt = Date.now() - 3 * HOUR;
    const res = await post('/api/admin/incidents', {
      title: 'Relay queue stuck overnight', impact: 'major', message: 'Mail was queueing.',
      started_at: new Date(startedAt).toISOString(), display_at: new Date(startedAt + 10 * 60_000).toISOString(),
      components: [{ component_id: smtp, level: 'partial_outage' }],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const doc = res.json.incident;
    expect(doc.durations.time_to_first_update.ms).toBeGreaterThanOrEqual(3 * HOUR - 60_000);
    expect(doc.updates[0].display_at).toBe(new Date(startedAt + 10 * 60_000).toISOString());
    const html = decodeEntities(await (await fetch(`${server.url}/incidents/${doc.id}`)).text());
    expect(html).toMatch(/Recorded at <time[^>]*>[^<]+<\/time>, about events at <time[^>]*>[^<]+<\/time>\./);
  });

  it('records a past maintenance window and says it was recorded after it began', async () => {
    const start = Date.now() - 3 * 24 * HOUR;
    const res = await post('/api/admin/maintenance/past', {
      title: 'Emergency kernel patch', message: 'We patched the relays.', components: [smtp],
      scheduled_start: new Date(start).toISOString(), scheduled_end: new Date(start + HOUR).toISOString(),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.maintenance).toMatchObject({ status: 'completed', policy: [{ excused: false }] });
    const html = decodeEntities(await (await fetch(`${server.url}/maintenance/${res.json.maintenance.id}`)).text());
    expect(html).toMatch(/Recorded at <time[^>]*>[^<]+<\/time>, after the window began; it was not announced beforehand\./);
  });
});
