// Issue 12, findings 2, 3, 4, 5 and 6 against the built server: a database deleted under it, a write
// lock held by another process, a database damaged under it or before it starts, a read-only
// database. Pages keep being served (the last good bytes, marked, when they cannot be read), writes
// are refused with 503 and a reason, /healthz tells the truth, and nothing comes back as the demo site.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { corruptHeader, corruptTable } from '../support/corrupt-database.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { createToken } from '../support/server-db.ts';
import { createStaff } from '../support/staff.ts';

const PASSWORD = 'lantern orchard pebble';

// Live tokens need names of their own (the lock and damage tests share a database).
const makeToken = (databasePath: string, name = 'Pager bot') => createToken(databasePath, name, ['incidents:write']).token;

const openIncident = (server: RunningServer, token: string) =>
  fetch(`${server.url}/api/admin/incidents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Mail delayed', impact: 'minor', message: 'Looking into it.' }),
  });
const health = async (server: RunningServer) => {
  const res = await fetch(`${server.url}/healthz`);
  return { status: res.status, body: await res.json() };
};

describe('a database deleted while Candor runs (finding 2)', () => {
  let server: RunningServer;
  let restarted: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({}, { keepDir: true });
  });
  afterAll(async () => {
    await restarted?.stop();
    fs.rmSync(server.dir, { recursive: true, force: true });
  });

  it('refuses writes with 503 and says so in /healthz, keeps serving pages, and never comes back as the demo', async () => {
    const token = makeToken(server.databasePath);
    expect((await openIncident(server, token)).status).toBe(201);
    fs.rmSync(server.databasePath);

    const refused = await openIncident(server, token);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('300');
    expect((await refused.json()).error).toMatchObject({ code: 'unavailable', reason: 'database_deleted', message: expect.stringMatching(/deleted while Candor was running: nothing was saved/) });
    expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', reasons: ['database_deleted'] } });
    expect((await fetch(`${server.url}/`)).status).toBe(200);

    await server.stop();
    restarted = await startServer({ CANDOR_DB: server.databasePath });
    expect(restarted.output()).toMatch(/WARNING: .*candor\.db did not exist, but .*candor\.db\.candor.* show that a database was here before/);
    expect(restarted.output()).not.toContain('demo data loaded');
    const components = (await (await fetch(`${restarted.url}/api/v2/components.json`)).json()) as { components: unknown[] };
    expect(components.components).toEqual([]);
    expect(await (await fetch(`${restarted.url}/`)).text()).not.toContain('Postwise');
  });
});

/** Waits for a condition on a response, not for a guessed time. */
async function until(read: () => Promise<Response>, test: (res: Response, body: string) => boolean): Promise<{ res: Response; body: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await read();
    const body = await res.text();
    if (test(res, body)) return { res, body };
    if (Date.now() > deadline) throw new Error(`condition not met; last answer ${res.status}: ${body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// One server for findings 3 and 4: the lock is released before the damage, which comes last.
describe('one server, a lock and then damage', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('a write lock held by another process (finding 3)', () => {
    let holder: Database.Database;
    beforeAll(async () => {
      await createStaff(server.databasePath, { email: 'olive@example.com', password: PASSWORD, role: 'owner' });
    });
    afterAll(() => {
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
    });

    it('keeps answering readers, refuses writes and sign-in with 503 and a message, and still starts', async () => {
      const token = makeToken(server.databasePath);
      holder = new Database(server.databasePath);
      holder.exec('BEGIN IMMEDIATE');

      expect((await fetch(`${server.url}/`)).status).toBe(200);
      const refused = await openIncident(server, token);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect((await refused.json()).error).toMatchObject({ code: 'unavailable', reason: 'locked' });

      const signIn = await fetch(`${server.url}/admin/sign-in`, {
        method: 'POST',
        headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'olive@example.com', password: PASSWORD }),
        redirect: 'manual',
      });
      expect(signIn.status).toBe(503);
      expect(signIn.headers.get('retry-after')).toBe('5');
      expect(await signIn.text()).toMatch(/locked by another program.*nothing was saved/);
      expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', reasons: ['locked'] } });

      // A second Candor on the same file starts while the lock is held.
      const second = await startServer({ CANDOR_DB: server.databasePath });
      try {
        expect((await fetch(`${second.url}/`)).status).toBe(200);
      } finally {
        await second.stop();
      }

      holder.exec('ROLLBACK');
      expect((await openIncident(server, token)).status).toBe(201);
      expect((await health(server)).body).toEqual({ status: 'ok', reasons: [] });
    });
  });

  describe('a database damaged while Candor runs (finding 4)', () => {
    it('answers the last good bytes with a notice, fails honestly where it has none, refuses writes, and /healthz says so', async () => {
      const token = makeToken(server.databasePath, 'Pager bot (damage)');
      const before = await fetch(`${server.url}/`);
      expect(before.status).toBe(200);
      const good = await before.text();
      expect(good).toContain('Postwise');
      expect((await fetch(`${server.url}/api/v2/incidents.json`)).status).toBe(200);

      corruptTable(server.databasePath, 'incidents');
      // Another program's write makes every page render again, from the damaged file.
      const other = new Database(server.databasePath);
      other.prepare('update site_settings set data_version = data_version + 1 where id = 1').run();
      other.close();

      const { res: stale, body } = await until(() => fetch(`${server.url}/`), (_, text) => text.includes('stale-notice'));
      expect(stale.status).toBe(200);
      expect(body).toMatch(/This page may be out of date: Candor cannot read its data right now\. It shows the status as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
      expect(body).toContain('Postwise');
      expect(stale.headers.get('cache-control')).toBe('no-store');
      expect(stale.headers.get('etag')).toBeNull();
      expect(stale.headers.get('cdn-cache-control')).toBeNull();
      const json = await until(() => fetch(`${server.url}/api/v2/incidents.json`), (res) => res.headers.get('cache-control') === 'no-store');
      expect(json.res.status).toBe(200);
      expect(JSON.parse(json.body)).toHaveProperty('incidents');

      // A page never rendered before has nothing to fall back on: a clear 503, not a 500.
      const history = await fetch(`${server.url}/history`);
      expect(history.status).toBe(503);
      expect(history.headers.get('retry-after')).not.toBeNull();
      expect(await history.text()).toContain('This status page cannot read its data right now');

      const refused = await openIncident(server, token);
      expect(refused.status).toBe(503);
      expect((await refused.json()).error).toMatchObject({ code: 'unavailable', reason: 'database_unreadable', message: expect.stringMatching(/cannot be read.*nothing was saved/) });
      expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', reasons: ['database_damaged'] } });
    });
  });
});

describe('a database damaged before Candor starts (finding 4)', () => {
  let server: RunningServer | undefined;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-damaged-'));
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // A copy of the run's demo database (test/support/build-once.ts), instead of seeding one again.
  const demoCopy = (name: string) => {
    const file = path.join(dir, name);
    fs.copyFileSync(inject('demoDatabase'), file);
    return file;
  };
  const digest = (file: string) => fs.readFileSync(file).toString('base64');

  it('starts with a file that is no database at all: a clear 503 page, /healthz failing, writes refused, the file left as it is', async () => {
    const file = demoCopy('header.db');
    const token = makeToken(file);
    corruptHeader(file);
    const bytes = digest(file);
    server = await startServer({ CANDOR_DB: file }, { isReady: (res) => res.status === 503 });
    expect(server.output()).toMatch(/WARNING: .*header\.db is damaged \(.*file is not a database\)/);
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(503);
    expect(home.headers.get('retry-after')).not.toBeNull();
    expect(await home.text()).toContain('This status page cannot read its data right now');
    expect((await fetch(`${server.url}/candor.css`)).status).toBe(200);
    expect(await health(server)).toEqual({ status: 503, body: { status: 'failing', reasons: ['database_unreadable'] } });
    const refused = await openIncident(server, token);
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatchObject({ code: 'unavailable', reason: 'database_unreadable' });
    await server.stop();
    server = undefined;
    expect(digest(file)).toBe(bytes);
  });

  it('starts with a damaged page and serves what can be read, refusing every write', async () => {
    const file = demoCopy('page.db');
    const token = makeToken(file);
    corruptTable(file, '__drizzle_migrations');
    server = await startServer({ CANDOR_DB: file });
    expect(server.output()).toMatch(/WARNING: .*page\.db is damaged \(.*malformed\)/);
    expect(server.output()).not.toContain('demo data loaded');
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Postwise');
    expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', reasons: ['database_damaged'] } });
    const refused = await openIncident(server, token);
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatchObject({ code: 'unavailable', reason: 'database_unreadable', message: expect.stringMatching(/cannot be read.*nothing was saved/) });
  });
});

describe('a read-only database (finding 5)', () => {
  let dir: string;
  let server: RunningServer | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-readonly-'));
    const file = path.join(dir, 'candor.db');
    fs.copyFileSync(inject('demoDatabase'), file);
    fs.chmodSync(file, 0o444);
    fs.chmodSync(dir, 0o555);
  });
  afterAll(async () => {
    await server?.stop();
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts anyway, serves the pages, and refuses writes with 503 read_only', async () => {
    const file = path.join(dir, 'candor.db');
    const token = (() => {
      // The token is made before the file turns read-only for the server.
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(file, 0o644);
      try {
        return makeToken(file);
      } finally {
        fs.chmodSync(file, 0o444);
        fs.chmodSync(dir, 0o555);
      }
    })();
    // Root may write any file; run the server as nobody so that read-only means read-only.
    const runAs = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    server = await startServer({ CANDOR_DB: file }, { runAs });
    expect(server.output()).toMatch(/WARNING: .*is read-only/);
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Postwise');
    const refused = await openIncident(server, token);
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatchObject({ reason: 'read_only', message: expect.stringMatching(/read-only: nothing was saved/) });
    expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', reasons: ['read_only'] } });
  });
});
