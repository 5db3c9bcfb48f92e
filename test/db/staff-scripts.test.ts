// `npm run user:create` (non-interactive: password on stdin) and the start-up hint, run as the
// operator runs them, against a temporary database. Each way the process behaves (created: the line
// and exit 0; refused: the line and exit 1; no flags without a terminal; the start-up line) is
// checked on a real process once; the other refusals and the hint before the first account go
// through the same functions the scripts call, in this process (a script start costs ~2 CPU-s).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStartup, prepareDatabase } from '../../scripts/prepare-database.ts';
import { createAccount } from '../../scripts/user-create.ts';
import { configFrom } from '../../src/config.ts';

let dir: string;
let databasePath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-scripts-'));
  databasePath = path.join(dir, 'candor.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input = '') {
  const result = spawnSync(process.execPath, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, CANDOR_DB: databasePath, CANDOR_DEMO: 'false' },
  });
  return { status: result.status, out: result.stdout + result.stderr };
}

const userCreate = (flags: string[], password: string) => run(['scripts/user-create.ts', ...flags], `${password}\n`);
/** What user:create does with these answers, in this process: the line it prints and its exit status. */
const userCreateInProcess = (email: string, name: string, role: string, password: string) =>
  createAccount(config(), { email, name, role, password }, Date.now());
/** The configuration the scripts above run with. */
const config = () => configFrom({ ...process.env, CANDOR_DB: databasePath, CANDOR_DEMO: 'false' });

describe('npm run user:create', () => {
  it('creates the first owner from flags and a password on stdin', () => {
    const { status, out } = userCreate(['--email', 'Founder@Example.com', '--name', 'Fran Founder'], 'a long enough passphrase');
    expect(out).toContain('Created owner founder@example.com');
    expect(status).toBe(0);
    const db = new Database(databasePath, { readonly: true });
    const row = db.prepare('select email, name, role, password_hash from users').get() as Record<string, string>;
    db.close();
    expect(row).toMatchObject({ email: 'founder@example.com', name: 'Fran Founder', role: 'owner' });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('takes --role, and explains every refusal in a line, exiting 1', async () => {
    expect((await userCreateInProcess('ed@example.com', 'Ed', 'editor', 'a long enough passphrase')).status).toBe(0);
    const short = await userCreateInProcess('x@example.com', 'X', 'owner', 'short');
    expect([short.status, short.out.trim()]).toEqual([1, 'password: Use at least 12 characters.']);
    const again = await userCreateInProcess('ED@example.com', 'Ed', 'owner', 'a long enough passphrase');
    expect([again.status, again.out.trim()]).toEqual([1, 'email: An account with this email already exists.']);
    // The process itself: --role read from the command line, the refusal printed, exit status 1.
    const role = userCreate(['--email', 'r@example.com', '--name', 'R', '--role', 'admin'], 'a long enough passphrase');
    expect([role.status, role.out.trim()]).toEqual([1, 'role: Choose owner, editor or viewer.']);
  });

  it('needs --email and --name without a terminal', () => {
    const { status, out } = userCreate([], 'a long enough passphrase');
    expect(status).toBe(1);
    expect(out).toContain('pass --email and --name');
  });
});

describe('start-up hint', () => {
  it('tells how to create the first owner until one exists', async () => {
    const empty = { out: describeStartup(prepareDatabase(config())) };
    expect(empty.out).toContain('No staff account yet. Create the first owner with: npm run user:create');
    await userCreateInProcess('founder@example.com', 'Fran', 'owner', 'a long enough passphrase');
    // As scripts/serve.ts runs it before the server starts.
    const after = run(['scripts/prepare-database.ts']);
    expect(after.status).toBe(0);
    expect(after.out).toContain(`Database: ${databasePath}`);
    expect(after.out).not.toContain('No staff account yet');
  });
});

describe('npm run db:backup', () => {
  it('copies a live WAL database consistently, including writes not yet checkpointed', () => {
    const live = new Database(databasePath);
    live.pragma('journal_mode = WAL');
    live.pragma('wal_autocheckpoint = 0'); // keep the rows in the -wal file, as a busy server would
    live.exec('create table notes (id integer primary key, body text)');
    for (let i = 0; i < 100; i++) live.prepare('insert into notes (body) values (?)').run(`note ${i}`);
    expect(fs.statSync(`${databasePath}-wal`).size).toBeGreaterThan(0);
    const target = path.join(dir, 'backups', 'copy.db');
    const { status, out } = run(['scripts/backup.ts', target]);
    live.close();
    expect(out).toContain('integrity ok');
    expect(status).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('select count(*) from notes').pluck().get()).toBe(100);
    copy.close();
  });

  it('refuses to overwrite an existing file or to run without a target', () => {
    fs.writeFileSync(path.join(dir, 'taken.db'), 'x');
    new Database(databasePath).close();
    const taken = run(['scripts/backup.ts', path.join(dir, 'taken.db')]);
    expect(taken.status).toBe(1);
    expect(taken.out).toContain('already exists');
    expect(run(['scripts/backup.ts']).out).toContain('Usage: npm run db:backup');
  });
});
