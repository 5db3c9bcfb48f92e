// The delivery worker in a process of its own (delivery-supervisor.ts): it delivers from the outbox on
// its own connection, every thread of it at a lower CPU priority than the server's, stops cleanly, and
// a process that dies is logged (without secrets) and started again, losing nothing.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { openIncident } from '../../../src/server/commands/open-incident.ts';
import { DeliverySupervisor, restartDelayMs, STARVED_UNDER_SCHED_IDLE, type DeliveryLog } from '../../../src/server/notify/delivery-supervisor.ts';
import { SCHED_IDLE, STAT_FIELD, starvedOfCpu, statField } from '../../../src/server/notify/sched-idle.ts';
import type { DeliveryConfig } from '../../../src/server/notify/start-worker.ts';
import { EDITOR, openCommandDb, type CommandDb } from '../../support/command-db.ts';
import { startMailSink, type MailSink } from '../../support/mail-sink.ts';

const now = Date.now();
// Each message costs ~4 ms of CPU between the process and the test's SMTP server: enough recipients
// for the fan-out to be the process's own work over many messages and connections (8 at once), no more.
const RECIPIENTS = 60;
let c: CommandDb;
let sink: MailSink;
let supervisor: DeliverySupervisor | null = null;
let lines: { level: string; fields: Record<string, unknown>; message: string }[];

const log: DeliveryLog = {
  info: (fields, message) => lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
  warn: (fields, message) => lines.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
};

beforeEach(async () => {
  c = openCommandDb(now);
  sink = await startMailSink({ parse: false });
  lines = [];
});
afterEach(async () => {
  vi.unstubAllEnvs(); // also when a test failed between stubbing and restoring
  await supervisor?.stop();
  supervisor = null;
  await sink.close();
  c.close();
});

const configFor = (smtpUrl: string): DeliveryConfig => ({
  databasePath: c.db.$client.name,
  smtpUrl,
  mailFrom: 'status@example.test',
  webhookAllowPrivate: true,
  litestream: false,
  purge: null,
});

function fanOut(recipients: number): void {
  c.db.run(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${recipients})
    insert into subscribers (public_id, channel, email, all_components, confirmed_at, manage_token, source, created_at, updated_at)
    select printf('thread%07d', i), 'email', printf('t%04d@example.test', i), 1, ${now}, printf('token-%d', i), 'public', ${now}, ${now} from n`);
  openIncident(c.db, EDITOR, { title: 'Told from a process', impact: 'major', message: 'Everyone hears this once.' }, now);
}

const pending = () => c.db.get<{ n: number }>(sql`select count(*) as n from deliveries where status <> 'delivered'`)!.n;

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log: ${JSON.stringify(lines)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One /proc stat field of each thread of a process (Linux), by thread id. */
function threadStat(pid: number, field: number): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      values.set(Number(tid), statField(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'), field));
    } catch {
      // a thread that ended meanwhile
    }
  }
  return values;
}
/** Scheduling policies (0 normal, 5 SCHED_IDLE) and nice values of a process's threads. */
const threadPolicies = (pid = process.pid) => [...threadStat(pid, STAT_FIELD.policy).values()];
const threadNices = (pid = process.pid) => [...threadStat(pid, STAT_FIELD.nice).values()];

describe('the delivery process', () => {
  it('delivers the outbox from a process of its own, every thread of it niced on Linux, and stops cleanly', async () => {
    fanOut(RECIPIENTS);
    // Candor's settings in the server's environment stay out of the process's.
    vi.stubEnv('CANDOR_SMTP_URL', 'smtp://mailer:env-s3cret@127.0.0.1:1');
    supervisor = new DeliverySupervisor({ config: configFor(sink.url), log, pollMs: 20 });
    vi.unstubAllEnvs();
    expect(await supervisor.ready()).toBe(10);
    const pid = supervisor.child!.pid!;
    expect(pid).not.toBe(process.pid);
    if (process.platform === 'linux') expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain('env-s3cret');
    if (process.platform === 'linux') {
      // Its garbage collector's and libuv's threads as well as its main thread; none of ours.
      expect(threadNices(pid).length).toBeGreaterThan(1);
      expect(new Set(threadNices(pid))).toEqual(new Set([10]));
      expect(new Set(threadNices())).toEqual(new Set([0]));
      expect(fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('candor-delivery');
      // The SMTP password never goes on its command line (the configuration comes over the channel).
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(sink.url);
    }
    // Ctrl-C in a terminal reaches every process of the group: the server stops it, not the signal.
    process.kill(pid, 'SIGINT');
    await until('every delivery recorded', () => pending() === 0);
    expect(supervisor.starts).toBe(1);
    expect(supervisor.child!.pid).toBe(pid);
    expect(new Set(sink.recipients).size).toBe(RECIPIENTS);
    // Its writes raised the flag the server's writes look at (delivery-write-flag.ts): a claim, and
    // one record per message at least; and it is down now.
    expect(supervisor.flag!.releases()).toBeGreaterThan(RECIPIENTS);
    expect(supervisor.flag!.held()).toBe(false);
    await supervisor.stop();
    expect(supervisor.child).toBeNull();
    expect(() => process.kill(pid, 0)).toThrow(); // gone
  });

  it.runIf(process.platform === 'linux')('runs under SCHED_IDLE when asked, every thread of it and none of the server, and delivers everything', async () => {
    fanOut(RECIPIENTS);
    supervisor = new DeliverySupervisor({ config: configFor(sink.url), log, pollMs: 20, schedIdle: true });
    expect(await supervisor.ready()).toBe(10);
    const pid = supervisor.child!.pid!;
    expect(threadPolicies(pid).length).toBeGreaterThan(1);
    expect(new Set(threadPolicies(pid))).toEqual(new Set([SCHED_IDLE]));
    expect(new Set(threadNices(pid))).toEqual(new Set([10]));
    expect(threadPolicies()).not.toContain(SCHED_IDLE);
    await until('every delivery recorded', () => pending() === 0);
    expect(new Set(sink.messageIds).size).toBe(RECIPIENTS);
    await supervisor.stop();
  });

  it.runIf(process.platform === 'linux')('starts a process that was starved of CPU under SCHED_IDLE again without it, and says so once', async () => {
    supervisor = new DeliverySupervisor({
      config: configFor(sink.url),
      log,
      schedIdle: true,
      entry: new URL('../../support/starved-delivery-process.ts', import.meta.url),
    });
    await until('the second process', () => lines.some((l) => l.message === 'started with schedIdle false'));
    expect(supervisor.starts).toBe(2);
    expect(lines.map((l) => l.message)).toEqual(['started with schedIdle true', STARVED_UNDER_SCHED_IDLE, 'started with schedIdle false']);
    expect(lines[1]).toMatchObject({ level: 'info', fields: { waitedMs: 4000, wallMs: 5000, sent: 12, nice: 10 } });
    await supervisor.stop();
    expect(supervisor.starts).toBe(2);
  });

  it('counts as starved only a window spent mostly waiting for a core while sending slowly', () => {
    // Waiting for a core most of 5 s and sending 12 messages: starved.
    expect(starvedOfCpu({ wallMs: 5000, waitedMs: 4000, sent: 12 })).toBe(true);
    // As long a wait, but sending 300 a second: SCHED_IDLE still keeps the mail moving.
    expect(starvedOfCpu({ wallMs: 5000, waitedMs: 4000, sent: 1500 })).toBe(false);
    // Sending slowly without waiting for a core: a slow receiver, not the scheduler.
    expect(starvedOfCpu({ wallMs: 5000, waitedMs: 100, sent: 3 })).toBe(false);
  });

  it('is started again when it is killed mid fan-out, and every recipient gets the message once', async () => {
    // Two claims' worth (200 each): the process is killed 100 messages into the first.
    const recipients = 400;
    fanOut(recipients);
    supervisor = new DeliverySupervisor({ config: configFor(sink.url), log, pollMs: 20 });
    await supervisor.ready();
    await until('100 messages', () => sink.messageIds.length >= 100);
    supervisor.child!.kill('SIGKILL');
    expect(sink.messageIds.length).toBeLessThan(recipients); // it died mid fan-out
    await until('every delivery recorded', () => pending() === 0);
    expect(supervisor.starts).toBe(2);
    const deaths = lines.filter((l) => /stopped unexpectedly/.test(l.message));
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatchObject({ level: 'warn', fields: { code: null, signal: 'SIGKILL', deathsInARow: 1, restartInMs: 500 } });
    expect(new Set(sink.recipients).size).toBe(recipients);
    expect(new Set(sink.messageIds).size).toBe(recipients);
    // The restart released the dead process's leases: only messages in flight (8) can go twice.
    expect(sink.messageIds.length - recipients).toBeLessThanOrEqual(8);
  });

  it('logs each death without the SMTP password and keeps starting it again, waiting longer each time', async () => {
    const waits: number[] = [];
    supervisor = new DeliverySupervisor({
      config: configFor('smtp://mailer:s3cret-pa55@127.0.0.1:1'),
      log,
      entry: new URL('../../support/failing-delivery-process.ts', import.meta.url),
      restartDelayMs: (deaths) => {
        waits.push(restartDelayMs(deaths));
        return 1;
      },
    });
    await until('three deaths', () => supervisor!.starts >= 4);
    expect(waits.slice(0, 3)).toEqual([500, 1000, 2000]);
    const deaths = lines.filter((l) => /stopped unexpectedly/.test(l.message));
    expect(deaths.slice(0, 3).map((l) => l.fields.deathsInARow)).toEqual([1, 2, 3]);
    expect(deaths[0]!.fields.err).toBe('could not reach smtp://mailer:***@127.0.0.1:1');
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('runs only while something is due when given a due check: started by a fan-out, gone once idle, started again', async () => {
    let looks = 0;
    const due = () => {
      looks++;
      return c.db.$client.prepare(`select exists(select 1 from deliveries where kind = 'email' and status = 'pending' and next_attempt_at <= ?)`).pluck().get(Date.now()) === 1;
    };
    supervisor = new DeliverySupervisor({ config: configFor(sink.url), log, pollMs: 20, due, idleExitMs: 300 });
    await until('five looks', () => looks >= 5);
    expect(supervisor.starts).toBe(0);
    expect(supervisor.child).toBeNull();

    fanOut(50);
    await until('every delivery recorded', () => pending() === 0);
    expect(supervisor.starts).toBe(1);
    await until('the idle process to end itself', () => supervisor!.child === null);
    const looksWhenGone = looks;
    await until('five more looks', () => looks >= looksWhenGone + 5);
    expect(supervisor.starts).toBe(1);

    openIncident(c.db, EDITOR, { title: 'And again', impact: 'minor', message: 'A second message.' }, now);
    await until('the second fan-out recorded', () => pending() === 0 && sink.messageIds.length >= 100);
    expect(supervisor.starts).toBe(2);
    expect(new Set(sink.messageIds).size).toBe(100);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('still delivers, and says what it lacks, when the write flag cannot be made (no writable temporary directory)', async () => {
    fanOut(RECIPIENTS);
    vi.stubEnv('TMPDIR', '/nonexistent/candor-test');
    supervisor = new DeliverySupervisor({ config: configFor(sink.url), log, pollMs: 20 });
    vi.unstubAllEnvs();
    expect(supervisor.flag).toBeNull();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('the delivery write flag could not be made') })]);
    await until('every delivery recorded', () => pending() === 0);
    expect(new Set(sink.recipients).size).toBe(RECIPIENTS);
  });

  it('counts a process that could not be started as one death, and starts nothing once stopped', async () => {
    supervisor = new DeliverySupervisor({ config: configFor(sink.url), log, execPath: '/nonexistent/node', restartDelayMs: () => 20 });
    await until('five failed starts', () => supervisor!.starts >= 5);
    const deaths = () => lines.filter((l) => /stopped unexpectedly/.test(l.message));
    // One death logged (and one restart) per start, not one per event of the failed start.
    expect(deaths().length).toBeGreaterThanOrEqual(supervisor.starts - 1);
    expect(deaths().length).toBeLessThanOrEqual(supervisor.starts);
    expect(deaths()[0]!.fields.err).toMatch(/ENOENT/);
    await supervisor.stop();
    const startsWhenStopped = supervisor.starts;
    await new Promise((r) => setTimeout(r, 200));
    expect(supervisor.starts).toBe(startsWhenStopped);
    expect(supervisor.child).toBeNull();
  });

  it('waits from half a second doubling up to 30 s between restarts', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(restartDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});
