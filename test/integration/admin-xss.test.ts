// Hostile text typed into the workspace's forms comes back escaped wherever it is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';
import { XSS_CORPUS } from '../support/xss-corpus.ts';
import { seedPayloadsThroughForms, showsLiveMarkup, type SeededPayloads } from '../support/xss-seed.ts';

const PASSWORD = 'quiet harbour orange kettle';
let server: RunningServer;
let editor: AdminClient;
let seeded: SeededPayloads;

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
  seeded = await seedPayloadsThroughForms(editor, server.databasePath);
});
afterAll(() => server?.stop());

describe('XSS payloads typed into incident and maintenance forms', () => {
  it('are caught by the check when they do come back live', () => {
    expect(showsLiveMarkup('<p><script>alert(1)</script></p>')).toBe(true);
    expect(showsLiveMarkup('<meta content=""><img src=x onerror=alert(1)>">')).toBe(true);
    expect(showsLiveMarkup('<a href="javascript:alert(1)">x</a>')).toBe(true);
    expect(showsLiveMarkup('<meta content="Identified: <script>alert(1)</script>"><p>&lt;script&gt;alert(1)</p>')).toBe(false);
  });

  it('never come back as live markup on public pages', async () => {
    for (const path of seeded.publicPaths) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(showsLiveMarkup(html), path).toBe(false);
    }
    // They are shown, as text: escaping must not swallow them.
    const home = await (await fetch(server.url + '/')).text();
    expect(home).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('never come back as live markup in the workspace', async () => {
    for (const path of seeded.adminPaths) {
      const response = await editor.get(path);
      expect(response.status, path).toBe(200);
      expect(showsLiveMarkup(await response.text()), path).toBe(false);
    }
  });

  it('come back exactly as typed in the status API, as JSON', async () => {
    const response = await fetch(`${server.url}/api/v2/summary.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const summary = (await response.json()) as { incidents: { name: string }[]; scheduled_maintenances: { name: string }[] };
    const incidentNames = summary.incidents.map((i) => i.name);
    const maintenanceNames = summary.scheduled_maintenances.map((m) => m.name);
    for (const payload of XSS_CORPUS) {
      expect(incidentNames).toContain(payload);
      expect(maintenanceNames).toContain(payload);
    }
  });
});
