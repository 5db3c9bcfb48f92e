// Issue 12, findings 2, 3 and 6 at the command level: a database file deleted or replaced under
// the process, a write lock held by another connection, and a full disk each refuse the write
// with a typed, explained error (nothing written), and /healthz's assessment says which.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFileProblem, openDatabase, type Db } from '../../db/client.ts';
import { earlierDatabaseTraces, markDatabase, markerPathOf } from '../../db/earlier-database.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { Unavailable } from '../../src/server/errors.ts';
import { assessHealth } from '../../src/server/health.ts';
import { renderMarkdown } from '../../src/server/markdown.ts';
import { SERVER_BUSY_TIMEOUT_MS } from '../../src/server/db.ts';
import { EDITOR, thrown } from '../support/command-db.ts';

const now = Date.UTC(2026, 5, 10, 12, 0);
let dir: string;
let file: string;
let db: Db;

const incidents = () => (db.$client.prepare('select count(*) as n from incidents').get() as { n: number }).n;
const open = (message = 'Looking into it.') => openIncident(db, EDITOR, { title: 'Mail delayed', impact: 'minor', message }, now);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-faults-'));
  file = path.join(dir, 'candor.db');
  db = openDatabase(file, path.resolve('db/migrations'), { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  seedDemo(db, { now: now - 60_000, render: renderMarkdown });
});
afterEach(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function refusal(message?: string): Unavailable {
  const error = thrown(() => open(message));
  expect(error).toBeInstanceOf(Unavailable);
  return error as Unavailable;
}

describe('a database file deleted or replaced under the process (finding 2)', () => {
  it('refuses writes once the file is deleted, and health says degraded, not ok', () => {
    open();
    const before = incidents();
    expect(assessHealth(db, file).body).toEqual({ status: 'ok', reasons: [] });
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    expect(databaseFileProblem(db)).toBe('deleted');
    const error = refusal();
    expect(error).toMatchObject({ status: 503, fault: 'database_deleted' });
    expect(error.message).toMatch(/deleted while Candor was running: nothing was saved/);
    // The open handle still reads the old data, so pages can still be served from it.
    expect(incidents()).toBe(before);
    expect(assessHealth(db, file)).toEqual({ httpStatus: 200, body: { status: 'degraded', reasons: ['database_deleted'] } });
  });

  it('refuses writes when another file now stands at the path', () => {
    const other = path.join(dir, 'other.db');
    new Database(other).close();
    fs.renameSync(other, file);
    expect(refusal()).toMatchObject({ status: 503, fault: 'database_replaced' });
    expect(assessHealth(db, file).body.reasons).toContain('database_replaced');
  });
});

describe('a write lock held by another connection (finding 3)', () => {
  it('gives up after a few ms with a clear refusal instead of blocking for seconds', () => {
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const before = incidents();
      const error = refusal();
      expect(error).toMatchObject({ status: 503, fault: 'locked', retryAfterSeconds: 5 });
      expect(error.message).toMatch(/locked by another program.*nothing was saved/);
      expect(incidents()).toBe(before);
      expect(assessHealth(db, file)).toEqual({ httpStatus: 200, body: { status: 'degraded', reasons: ['locked'] } });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    open();
    expect(assessHealth(db, file).body.status).toBe('ok');
  });
});

describe('a full disk (finding 6)', () => {
  it('answers "storage full, nothing was saved" (507) and leaves nothing half-written', () => {
    // The database may not grow by a page, as on a full disk; a long update needs new pages.
    db.$client.exec('VACUUM');
    const pages = db.$client.pragma('page_count', { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages}`);
    const before = incidents();
    const error = refusal('All mail is delayed. '.repeat(900));
    expect(error).toMatchObject({ status: 507, fault: 'storage_full' });
    expect(error.message).toBe('Storage is full: nothing was saved. Free disk space on the server, then try again.');
    expect(incidents()).toBe(before);
    expect(assessHealth(db, file).body).toEqual({ status: 'degraded', reasons: ['storage_full'] });
    db.$client.pragma('max_page_count = 1073741823');
    open();
    expect(assessHealth(db, file).body.status).toBe('ok');
  });
});

describe('a database that cannot be read', () => {
  it('is failing (503), the one state a load balancer should route around', () => {
    db.$client.exec('drop table site_settings');
    expect(assessHealth(db, file)).toEqual({ httpStatus: 503, body: { status: 'failing', reasons: ['database_unreadable'] } });
  });
});

describe('an earlier database at the same path (finding 2)', () => {
  it('is recognised by the marker left beside it, or by SQLite leftovers', () => {
    expect(earlierDatabaseTraces(file)).toEqual([]); // the file exists
    markDatabase(file, now);
    markDatabase(file, now + 1); // written once, never replaced
    expect(fs.readFileSync(markerPathOf(file), 'utf8')).toContain(new Date(now).toISOString());
    db.$client.close();
    fs.rmSync(file);
    expect(earlierDatabaseTraces(file)).toContain(markerPathOf(file));
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    expect(earlierDatabaseTraces(file)).toEqual([]);
    fs.writeFileSync(`${file}-wal`, '');
    expect(earlierDatabaseTraces(file)).toEqual([`${file}-wal`]);
    db = openDatabase(path.join(dir, 'fresh.db'), path.resolve('db/migrations'));
  });
});
