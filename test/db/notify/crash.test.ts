// kill -9 in the middle of a fan-out to 1,000 recipients, restart, count. Every recipient must get
// the message; a duplicate is possible only for a message the SMTP server accepted in the instant
// before the process died and before its delivery was recorded (at most the messages in flight).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { EDITOR, openCommandDb, type CommandDb } from '../../support/command-db.ts';
import { startMailSink, type MailSink } from '../../support/mail-sink.ts';

const RECIPIENTS = 1000;
const now = Date.now();

let c: CommandDb;
let sink: MailSink;
beforeEach(async () => {
  c = openCommandDb(now);
  sink = await startMailSink({ parse: false });
});
afterEach(async () => {
  await sink.close();
  c.close();
});

function startChild(): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, [path.resolve('test/support/delivery-child.ts')], {
    env: { ...process.env, CANDOR_DB: c.db.$client.name, CANDOR_SMTP_URL: sink.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, exited };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('loses nothing when the delivering process is killed with SIGKILL mid fan-out', { timeout: 120_000 }, async () => {
  c.db.run(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${RECIPIENTS})
    insert into subscribers (public_id, channel, email, all_components, confirmed_at, manage_token, source, created_at, updated_at)
    select printf('crash%07d', i), 'email', printf('r%04d@example.test', i), 1, ${now}, printf('token-%d', i), 'public', ${now}, ${now} from n`);
  openIncident(c.db, EDITOR, { title: 'Fan-out under fire', impact: 'major', message: 'Everyone hears this once.' }, now);
  expect(c.db.select().from(s.deliveries).all()).toHaveLength(RECIPIENTS);

  const first = startChild();
  await until(() => sink.messageIds.length >= RECIPIENTS * 0.3, '300 messages');
  first.child.kill('SIGKILL');
  const killed = await first.exited;
  expect(killed.signal).toBe('SIGKILL');
  const beforeRestart = sink.messageIds.length;
  expect(beforeRestart).toBeLessThan(RECIPIENTS);

  const second = startChild();
  const finished = await second.exited;
  expect(finished.code, finished.out).toBe(0);

  const unique = new Set(sink.messageIds);
  const recipients = new Set(sink.recipients);
  const duplicates = sink.messageIds.length - unique.size;
  console.log(`crash test: ${beforeRestart} accepted before SIGKILL, ${sink.messageIds.length} in all, ${unique.size} distinct Message-IDs, ${duplicates} duplicate(s)`);
  expect(recipients.size).toBe(RECIPIENTS);
  expect(unique.size).toBe(RECIPIENTS);
  // Only messages in flight at the kill (8 lanes) can be sent twice, and they keep their Message-ID.
  expect(duplicates).toBeLessThanOrEqual(8);
  const rows = c.db.all<{ status: string; n: number }>(sql`select status, count(*) as n from deliveries group by status`);
  expect(rows).toEqual([{ status: 'delivered', n: RECIPIENTS }]);
});
