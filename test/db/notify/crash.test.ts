// kill -9 in the middle of a fan-out to 1,000 recipients, restart, count: once the delivery process
// (the server starts it again), once the server (its delivery process exits on its own, and the next
// server finishes). Every recipient must get the message; a duplicate is possible only for a message
// the SMTP server accepted in the instant before the process died and before its delivery was
// recorded (at most the messages in flight).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as s from '../../../db/schema.ts';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { statText } from '../../../src/server/notify/sched-idle.ts';
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

/** A server's delivery (test/support/delivery-server.ts): resolves with the delivery process's pid once it delivers. */
function startServer(): { child: ChildProcess; output: () => string; deliveryPid: Promise<number>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, [path.resolve('test/support/delivery-server.ts')], {
    env: { ...process.env, CANDOR_DB: c.db.$client.name, CANDOR_SMTP_URL: sink.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const output = () => out;
  let onPid!: (pid: number) => void;
  const deliveryPid = new Promise<number>((resolve) => (onPid = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    const found = /\{"deliveryPid":(\d+)\}/.exec(out);
    if (found) onPid(Number(found[1]));
  });
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, output, deliveryPid, exited };
}

/** Running: it exists and is not a zombie (an exited process no one has reaped yet). */
const alive = (pid: number) => {
  try {
    return statText(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'), 3) !== 'Z';
  } catch {
    return false;
  }
};
const pending = () => c.db.get<{ n: number }>(sql`select count(*) as n from deliveries where status <> 'delivered'`)!.n;

async function until(condition: () => boolean, what: string, timeoutMs = 60_000, output = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function fanOut(): void {
  c.db.run(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${RECIPIENTS})
    insert into subscribers (public_id, channel, email, all_components, confirmed_at, manage_token, source, created_at, updated_at)
    select printf('crash%07d', i), 'email', printf('r%04d@example.test', i), 1, ${now}, printf('token-%d', i), 'public', ${now}, ${now} from n`);
  openIncident(c.db, EDITOR, { title: 'Fan-out under fire', impact: 'major', message: 'Everyone hears this once.' }, now);
  expect(c.db.select().from(s.deliveries).all()).toHaveLength(RECIPIENTS);
}

/** Every recipient got the message once, or twice only for a message in flight at the kill. */
function count(beforeRestart: number, what: string): void {
  const unique = new Set(sink.messageIds);
  const recipients = new Set(sink.recipients);
  const duplicates = sink.messageIds.length - unique.size;
  console.log(`crash test (${what}): ${beforeRestart} accepted before SIGKILL, ${sink.messageIds.length} in all, ${unique.size} distinct Message-IDs, ${duplicates} duplicate(s)`);
  expect(recipients.size).toBe(RECIPIENTS);
  expect(unique.size).toBe(RECIPIENTS);
  // Only messages in flight at the kill (8 lanes) can be sent twice, and they keep their Message-ID.
  expect(duplicates).toBeLessThanOrEqual(8);
  const rows = c.db.all<{ status: string; n: number }>(sql`select status, count(*) as n from deliveries group by status`);
  expect(rows).toEqual([{ status: 'delivered', n: RECIPIENTS }]);
}

it('loses nothing when the delivery process is killed with SIGKILL mid fan-out and the server starts it again', { timeout: 120_000 }, async () => {
  fanOut();
  const server = startServer();
  const deliveryPid = await server.deliveryPid;
  await until(() => sink.messageIds.length >= RECIPIENTS * 0.3, '300 messages');
  process.kill(deliveryPid, 'SIGKILL');
  const beforeRestart = sink.messageIds.length;
  expect(beforeRestart).toBeLessThan(RECIPIENTS);
  // The same server starts another delivery process, which finishes the fan-out.
  await until(() => pending() === 0, 'every delivery recorded', 60_000, server.output);
  expect(server.child.kill('SIGTERM')).toBe(true);
  const stopped = await server.exited;
  expect(stopped.code, stopped.out).toBe(0);
  expect(stopped.out).toMatch(/stopped unexpectedly.*"signal":"SIGKILL"/);
  count(beforeRestart, 'the delivery process killed');
});

it('loses nothing when the server is killed with SIGKILL mid fan-out: its delivery process does not outlive it', { timeout: 120_000 }, async () => {
  fanOut();
  const first = startServer();
  const deliveryPid = await first.deliveryPid;
  await until(() => sink.messageIds.length >= RECIPIENTS * 0.3, '300 messages');
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  // It records the messages in flight and exits (each send times out after 10 s at the latest).
  await until(() => !alive(deliveryPid), 'the orphaned delivery process to exit', 30_000);
  const beforeRestart = sink.messageIds.length;
  expect(beforeRestart).toBeLessThan(RECIPIENTS);

  const second = startServer();
  await second.deliveryPid;
  await until(() => pending() === 0, 'every delivery recorded', 60_000, second.output);
  second.child.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);
  count(beforeRestart, 'the server killed');
});
