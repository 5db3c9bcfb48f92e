// The owner's API token page: create (secret shown once, only its hash stored), list, revoke
// with confirmation; editors and viewers are refused.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, countRows, decodeEntities, fieldError, fieldValue, type AdminClient } from '../support/admin-client.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createStaff, signIn } from '../support/staff.ts';

const PASSWORD = 'lantern orchard pebble';
let server: RunningServer;
let owner: AdminClient;

beforeAll(async () => {
  server = await startServer();
  await createStaff(server.databasePath, { email: 'owner@example.test', password: PASSWORD, role: 'owner' });
  await createStaff(server.databasePath, { email: 'editor@example.test', password: PASSWORD, role: 'editor' });
  await createStaff(server.databasePath, { email: 'viewer@example.test', password: PASSWORD, role: 'viewer' });
  owner = adminClient(server.url, await signIn(server.url, 'owner@example.test', PASSWORD));
});
afterAll(() => server?.stop());

const whoAmI = (token: string) => fetch(`${server.url}/api/admin/token`, { headers: { Authorization: `Bearer ${token}` } });
const rows = () => {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return db.prepare('select public_id, name, token_hash, scopes, revoked_at from api_tokens order by id').all() as { public_id: string; name: string; token_hash: string; scopes: string; revoked_at: number | null }[];
  } finally {
    db.close();
  }
};

describe('API token page', () => {
  it('shows the owner the link in the nav, and nobody else', async () => {
    expect(await (await owner.get('/admin')).text()).toContain('href="/admin/tokens"');
    const editor = adminClient(server.url, await signIn(server.url, 'editor@example.test', PASSWORD));
    expect(await (await editor.get('/admin')).text()).not.toContain('href="/admin/tokens"');
  });

  it('creates a token, shows it once, stores only its SHA-256, and the token works', async () => {
    const res = await owner.post('/admin/tokens', { name: 'Pager bot', 'scope.incidents:write': 'on', 'scope.read': 'on' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    const token = /<code class="secret" id="new-token">(candor_[A-Za-z0-9_-]{43})<\/code>/.exec(html)![1]!;
    expect(html).toContain('shown only this once');
    const [row] = rows().filter((r) => r.name === 'Pager bot');
    expect(row!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.parse(row!.scopes)).toEqual(['incidents:write', 'read']);
    expect(JSON.stringify(rows())).not.toContain(token);

    const me = await whoAmI(token);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ actor: 'token:Pager bot', scopes: ['incidents:write', 'read'] });

    const list = await (await owner.get('/admin/tokens')).text();
    expect(list).toContain('Pager bot');
    expect(list).toContain('incidents:write, read');
    expect(list).not.toContain(token);
    const audit = new Database(server.databasePath, { readonly: true });
    const entry = audit.prepare("select actor_label, after from audit_log where action = 'api_token.create'").get() as { actor_label: string; after: string };
    audit.close();
    expect(entry.actor_label).toBe('owner@example.test');
    expect(entry.after).not.toContain(token.slice(7, 20));
  });

  it('refuses a form without a name or scope, next to each field, keeping what was typed', async () => {
    const before = countRows(server.databasePath, 'api_tokens');
    const res = await owner.post('/admin/tokens', { name: '   ' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'name')).toMatch(/Name the token/);
    expect(fieldError(html, 'scopes')).toMatch(/at least one scope/);
    const typed = await (await owner.post('/admin/tokens', { name: 'x'.repeat(101), 'scope.maintenance:write': 'on' })).text();
    expect(fieldError(typed, 'name')).toMatch(/under 100/);
    expect(fieldValue(typed, 'name')).toBe('x'.repeat(101));
    expect(typed).toMatch(/name="scope\.maintenance:write"[^>]*checked/);
    expect(countRows(server.databasePath, 'api_tokens')).toBe(before);
  });

  it('revokes only after confirmation; the token then gets 401', async () => {
    const html = await (await owner.post('/admin/tokens', { name: 'Doomed', 'scope.read': 'on' })).text();
    const token = /id="new-token">(candor_[^<]+)</.exec(html)![1]!;
    const id = rows().find((r) => r.name === 'Doomed')!.public_id;
    const page = await owner.get(`/admin/tokens/${id}`);
    expect(decodeEntities(await page.text())).toContain('Revoke this token');
    const unconfirmed = await owner.post(`/admin/tokens/${id}`, {});
    expect(unconfirmed.status).toBe(422);
    expect(fieldError(await unconfirmed.text(), 'confirm')).toMatch(/Tick the box/);
    expect((await whoAmI(token)).status).toBe(200);
    const done = await owner.post(`/admin/tokens/${id}`, { confirm: 'on' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin/tokens?revoked=1');
    expect((await whoAmI(token)).status).toBe(401);
    expect(rows().find((r) => r.name === 'Doomed')!.revoked_at).not.toBeNull();
    expect((await owner.post(`/admin/tokens/${id}`, { confirm: 'on' })).status).toBe(409);
    expect((await owner.get('/admin/tokens/nope')).status).toBe(404);
  });

  it('refuses editors and viewers (403), on the list, the create form and revocation', async () => {
    const id = rows()[0]!.public_id;
    for (const email of ['editor@example.test', 'viewer@example.test']) {
      const client = adminClient(server.url, await signIn(server.url, email, PASSWORD));
      expect((await client.get('/admin/tokens')).status).toBe(403);
      expect((await client.get(`/admin/tokens/${id}`)).status).toBe(403);
      const before = countRows(server.databasePath, 'api_tokens');
      expect((await client.post('/admin/tokens', { name: 'Sneaky', 'scope.read': 'on' })).status).toBe(403);
      expect((await client.post(`/admin/tokens/${id}`, { confirm: 'on' })).status).toBe(403);
      expect(countRows(server.databasePath, 'api_tokens')).toBe(before);
    }
    expect(rows()[0]!.revoked_at).toBeNull();
  });
});
