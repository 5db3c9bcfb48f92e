// `npm run bench:fanout` (also the last part of `npm run bench`): 10,000 email subscribers, one
// incident per kind of readers. Measures the time the command takes to enqueue every message (in
// its transaction), how fast the server's own delivery process hands them to an SMTP server on
// loopback, and `/` latency while that runs against the same readers with nothing to send, before
// and after, printed side by side. Two kinds of readers, each in a process of its own:
//  - saturating: wrk (one thread, CONNECTIONS connections) asks as fast as the server answers, so
//    any CPU the delivery uses on this machine shows as fewer requests answered;
//  - fixed rate: BENCH_RATE requests a second (bench/paced-reader.ts), latency counted from when each
//    request was due, so its p99 says whether the delivery work holds up the server's answers.
// The first 3 s of each fan-out (from 1 s before the incident opens: the command, `/` rendered again,
// the delivery process starting) are read apart from the rest of it.
// The SMTP server (bench/smtp-sink.ts) runs in a process of its own, counts Message-IDs and parses
// nothing; it still shares this machine's cores with Candor, as the readers do (in production it is
// another machine). Also reports the server's resident memory and the delivery's CPU, nice
// value and scheduling policy (from /proc). Writes bench/fanout-results.json. BENCH_SERVE may name
// another checkout's scripts/serve.ts to compare (it serves this checkout's build); BENCH_READERS=
// saturating or fixed runs one kind only; BENCH_SINK_IDLE=true runs the SMTP sink under SCHED_IDLE,
// BENCH_SINK_NICE=N at nice N.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { findWrk, parseWrk } from './load.ts';
import type { PacedResult } from './paced-reader.ts';
import { openDatabase } from '../db/client.ts';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { freePort } from '../scripts/free-port.ts';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { openIncident } from '../src/server/commands/open-incident.ts';
import { SCHED_IDLE, STAT_FIELD, statField } from '../src/server/notify/sched-idle.ts';
import { residentMb } from './candor-process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONNECTIONS = 20;
/** The fixed-rate readers' requests a second: well below what the server answers on this machine. */
const RATE = Number(process.env.BENCH_RATE ?? 1000);
/** Which readers: both (one fan-out each), or only `saturating` or `fixed`. */
const READERS = process.env.BENCH_READERS ?? 'both';
/** The first part of a fan-out, read apart: opening the incident and starting the delivery process. */
const OPENING_MS = 3000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-fanout-'));
const log = (line: string) => console.log(line);

if (!buildIfStale()) process.exit(1);

// The receiving mail server, in its own process.
type SinkMessage = { listening: number } | { reached: number; at: number } | { accepted: number; distinctMessageIds: number; distinctRecipients: number; missingMessageIds: number };
const sink = fork(path.join(root, 'bench/smtp-sink.ts'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const fromSink = <T extends SinkMessage>(key: string) =>
  new Promise<T>((resolve) => {
    const listener = (message: SinkMessage) => {
      if (key in message) {
        sink.off('message', listener);
        resolve(message as T);
      }
    };
    sink.on('message', listener);
  });
const smtpPort = (await fromSink<{ listening: number }>('listening')).listening;
// BENCH_SINK_IDLE=true: the SMTP server runs under SCHED_IDLE, on CPU time nothing else wants; a
// rough stand-in for a mail server on another machine (on this one it competes with the readers).
const SINK_IDLE = process.env.BENCH_SINK_IDLE === 'true';
if (SINK_IDLE && spawnSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(sink.pid)]).status !== 0) throw new Error('chrt could not put the SMTP sink under SCHED_IDLE');
// BENCH_SINK_NICE=N: every thread of the SMTP server at nice N, as a mail server on the same host
// as Candor could be run (systemd's Nice=).
const SINK_NICE = Number(process.env.BENCH_SINK_NICE ?? 0);
if (SINK_NICE) for (const tid of fs.readdirSync(`/proc/${sink.pid}/task`)) os.setPriority(Number(tid), SINK_NICE);

const databasePath = path.join(work, 'candor.db');
const port = await freePort();
const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, process.env.BENCH_SERVE ?? 'scripts/serve.ts'], {
  // As npm start runs it (SERVER_ENV: two malloc arenas).
  env: {
    ...SERVER_ENV,
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    CANDOR_DB: databasePath,
    CANDOR_OUT_DIR: path.join(root, 'dist'),
    CANDOR_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    CANDOR_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout!.on('data', (d) => (output += d));
child.stderr!.on('data', (d) => (output += d));
const url = `http://127.0.0.1:${port}`;
let serverStopping = false;
child.once('exit', (code, signal) => {
  if (serverStopping) return;
  console.error(`the server exited in the middle of the bench (${code ?? signal}):\n${output}`);
  process.exit(1);
});
// Whatever ends this process ends the processes it started.
const started: ChildProcess[] = [child, sink];
process.once('exit', () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill();
});
for (const deadline = Date.now() + 60_000; ; ) {
  if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
  const up = await fetch(`${url}/`).then((r) => r.ok, () => false);
  if (up) break;
  if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
  await new Promise((r) => setTimeout(r, 100));
}

const db = openDatabase(databasePath, path.join(root, 'db/migrations'));
const now = Date.now();
db.$client
  .prepare(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
     insert into subscribers (public_id, channel, email, all_components, confirmed_at, manage_token, source, created_at, updated_at)
     select printf('bench%07d', i), 'email', printf('reader%05d@example.test', i), 1, ?, printf('bench-token-%d', i), 'public', ?, ? from n`,
  )
  .run(RECIPIENTS, now, now, now);

/** The server's delivery processes (children named candor-delivery), from /proc. */
function deliveryProcesses(pid: number): number[] {
  const found: number[] = [];
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) {
        if (fs.readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'candor-delivery') found.push(Number(child));
      }
    } catch {
      // a thread or process that ended meanwhile
    }
  }
  return found;
}

/**
 * CPU seconds (user + system) of the server, and of its delivery: the delivery process (a child of the
 * server named candor-delivery, live or ended), or in older checkouts the delivery thread (named
 * candor-delivery, or niced / SCHED_IDLE), from /proc. With the nice values and scheduling policies
 * of the delivery's threads.
 */
function cpu(pid: number): { process: number; delivery: number; nice: number[]; policy: number[]; sink: number } {
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  const ticks = (stat: string) => (statField(stat, STAT_FIELD.utime) + statField(stat, STAT_FIELD.stime)) / 100;
  let delivery = 0;
  const nice: number[] = [];
  const policy: number[] = [];
  const count = (stat: string) => {
    delivery += ticks(stat);
    nice.push(statField(stat, STAT_FIELD.nice));
    policy.push(statField(stat, STAT_FIELD.policy));
  };
  const tasks = (of: number) => fs.readdirSync(`/proc/${of}/task`);
  for (const tid of tasks(pid)) {
    try {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      const name = read(`/proc/${pid}/task/${tid}/comm`).trim();
      // Scheduling policy 0 normal, 3 batch, 5 idle.
      if (name.startsWith('candor-deliver') || statField(stat, STAT_FIELD.nice) > 0 || statField(stat, STAT_FIELD.policy) === SCHED_IDLE) count(stat);
    } catch {
      // a thread that ended meanwhile
    }
  }
  for (const child of deliveryProcesses(pid)) {
    try {
      for (const task of tasks(child)) count(read(`/proc/${child}/task/${task}/stat`));
    } catch {
      // a process that ended meanwhile: its CPU is in the server's children's time below
    }
  }
  const own = read(`/proc/${pid}/stat`);
  // Ended children the server has waited for: delivery processes, and the database preparation at
  // its start, long over before the first reading (every figure is a difference, so it cancels out).
  delivery += (statField(own, STAT_FIELD.cutime) + statField(own, STAT_FIELD.cstime)) / 100;
  let sinkCpu = 0;
  try {
    sinkCpu = ticks(read(`/proc/${sink.pid}/stat`));
  } catch {
    // not started yet
  }
  return { process: ticks(own), delivery, nice, policy, sink: sinkCpu };
}
const round1 = (n: number) => Math.round(n * 10) / 10;
const load = () => os.loadavg().map(round1);
const serverPid = child.pid!;
const loadAtStart = load();
const rssIdle = residentMb(serverPid).now;
let rssPeak = 0;
/** The delivery process's resident memory (a process of its own since 2026-12-04). */
let deliveryRssPeak = 0;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, residentMb(serverPid).now);
  for (const pid of deliveryProcesses(serverPid)) {
    try {
      deliveryRssPeak = Math.max(deliveryRssPeak, residentMb(pid).now);
    } catch {
      // it ended meanwhile
    }
  }
}, 100);

// --- readers -------------------------------------------------------------------------------------

interface Row {
  requestsPerSec: number;
  p50: number;
  p99: number;
  /** Fixed-rate readings only. */
  p999?: number;
  max?: number;
  errors: number;
}
type Reading = { stop: () => Promise<Row> };
const HEADERS = { 'Accept-Encoding': 'br, gzip' };

/**
 * As many reads as the server answers (closed loop, CONNECTIONS connections): wrk, one thread, in a
 * process of its own, stopped with SIGINT when the reading ends. Without wrk, autocannon in this
 * process (dearer, and it shares this event loop).
 */
const wrk = findWrk();
function saturating(): Reading {
  if (!wrk) {
    const running = autocannon({ url: `${url}/`, connections: CONNECTIONS, duration: 3600, headers: HEADERS });
    return {
      stop: async () => {
        (running as unknown as { stop: () => void }).stop();
        const r = await running;
        return { requestsPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
      },
    };
  }
  const headerArgs = Object.entries(HEADERS).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const proc = spawn(wrk, ['-t1', `-c${CONNECTIONS}`, '-d3600s', '--latency', '--timeout', '5s', ...headerArgs, `${url}/`], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    stop: async () => {
      proc.kill('SIGINT');
      await exited;
      const r = parseWrk(out);
      return { requestsPerSec: r.requestsPerSec, p50: r.p50, p99: r.p99, errors: r.errors + r.non2xx };
    },
  };
}

/** Readers at RATE requests a second whatever the server does (bench/paced-reader.ts, a process of its own). */
const paced = fork(path.join(root, 'bench/paced-reader.ts'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
started.push(paced);
const nextFromPaced = <T>() => new Promise<T>((resolve) => paced.once('message', (m) => resolve(m as T)));
async function fixedRate(): Promise<Reading> {
  const started = nextFromPaced<'started'>();
  paced.send({ start: { url: `${url}/`, rate: RATE, connections: CONNECTIONS, headers: HEADERS } });
  await started;
  return {
    stop: async () => {
      const result = nextFromPaced<PacedResult>();
      paced.send('stop');
      const r = await result;
      return { requestsPerSec: r.requestsPerSec, p50: r.p50, p99: r.p99, p999: r.p999, max: r.max, errors: r.errors + r.non2xx };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function read(begin: () => Reading | Promise<Reading>, seconds: number): Promise<Row> {
  const reading = await begin();
  await sleep(seconds * 1000);
  return reading.stop();
}

// --- fan-outs ------------------------------------------------------------------------------------

const emailRows = () => db.$client.prepare(`select count(*) from deliveries where kind = 'email'`).pluck().get() as number;
let expectedInAll = 0;

interface Phase {
  readers: string;
  enqueueMs: number;
  messages: number;
  fanoutSeconds: number;
  messagesPerSecond: number;
  /**
   * Cores' worth of CPU: the server process, the delivery (its own process; in older checkouts a
   * thread of the server, counted in both figures), and the SMTP sink.
   */
  cpu: { idle: { server: number; delivery: number; sink: number }; duringFanout: { server: number; delivery: number; sink: number } };
  /** The delivery's CPU per message sent (ms). */
  deliveryCpuMsPerMessage: number;
  deliveryNice: number[];
  deliveryPolicy: number[];
  /** duringOpening: from 1 s before the incident opens to OPENING_MS after; duringFanout: the rest of the fan-out. */
  home: { idle: Row; duringOpening: Row; duringFanout: Row; idleAfter: Row };
}

const cpuShare = (before: ReturnType<typeof cpu>, after: ReturnType<typeof cpu>, ms: number) => ({
  server: round1((after.process - before.process) / (ms / 1000)),
  delivery: round1((after.delivery - before.delivery) / (ms / 1000)),
  sink: round1((after.sink - before.sink) / (ms / 1000)),
});

/** Idle reading, a fan-out read meanwhile, idle reading again: the same readers throughout. */
async function phase(readers: string, begin: () => Reading | Promise<Reading>): Promise<Phase> {
  log(`${readers}: reading / with nothing to send (${SECONDS} s)…`);
  const cpuBeforeIdle = cpu(serverPid);
  const idle = await read(begin, SECONDS);
  const cpuAfterIdle = cpu(serverPid);

  log(`${readers}: opening an incident that ${RECIPIENTS.toLocaleString('en-US')} subscribers hear about, reading / meanwhile…`);
  const reading = await begin();
  await sleep(1000); // the load is on before the fan-out starts
  const cpuBeforeFanout = cpu(serverPid);
  const rowsBefore = emailRows();
  const enqueueStarted = performance.now();
  const fanoutStartedAt = Date.now();
  openIncident(
    db,
    { actor: { userId: null, tokenId: null, label: 'bench' }, role: 'editor' },
    { title: `Fan-out benchmark (${readers})`, impact: 'major', message: 'Everyone hears about this.' },
    Date.now(),
  );
  const enqueueMs = performance.now() - enqueueStarted;
  // The bench's subscribers and the demo data's confirmed email subscribers who hear about everything.
  const messages = emailRows() - rowsBefore;
  expectedInAll += messages;
  const reached = fromSink<{ reached: number; at: number }>('reached');
  sink.send({ waitFor: expectedInAll });
  const timeout = setTimeout(() => {
    throw new Error(`not every message arrived after 10 minutes`);
  }, 600_000);
  // The first seconds hold the one-off work of opening an incident (the command, `/` rendered again,
  // the delivery process starting): read apart from the rest of the fan-out.
  const opened = await Promise.race([sleep(OPENING_MS).then(() => null), reached]);
  const duringOpening = await reading.stop();
  const rest = opened === null ? await begin() : null;
  const fanoutMs = (await reached).at - fanoutStartedAt;
  clearTimeout(timeout);
  const cpuAfterFanout = cpu(serverPid);
  const duringFanout = rest ? await rest.stop() : duringOpening;
  // Idle again: other work on a shared machine comes and goes, so one idle figure before is not enough.
  log(`${readers}: reading / with nothing to send again (${SECONDS} s)…`);
  const idleAfter = await read(begin, SECONDS);
  return {
    readers,
    enqueueMs: Math.round(enqueueMs),
    messages,
    fanoutSeconds: Math.round(fanoutMs / 100) / 10,
    messagesPerSecond: Math.round(messages / (fanoutMs / 1000)),
    cpu: { idle: cpuShare(cpuBeforeIdle, cpuAfterIdle, SECONDS * 1000), duringFanout: cpuShare(cpuBeforeFanout, cpuAfterFanout, fanoutMs) },
    deliveryCpuMsPerMessage: round1(((cpuAfterFanout.delivery - cpuBeforeFanout.delivery) * 1000) / messages),
    deliveryNice: cpuAfterFanout.nice,
    deliveryPolicy: cpuAfterFanout.policy,
    home: { idle, duringOpening, duringFanout, idleAfter },
  };
}

// Warm up first (JIT, caches, connections, the page's compressed variants): otherwise the first idle
// figure is a cold server's.
log(`Warming up: reading / for ${WARMUP_SECONDS} s…`);
await read(saturating, WARMUP_SECONDS);
const phases: Phase[] = [];
if (READERS !== 'fixed') phases.push(await phase(`saturating (${wrk ? 'wrk' : 'autocannon'}, ${CONNECTIONS} connections)`, saturating));
if (READERS !== 'saturating') {
  // The fixed-rate readers' process warms up too (its JIT, its connections).
  await read(fixedRate, WARMUP_SECONDS);
  phases.push(await phase(`fixed rate (${RATE} requests/s)`, fixedRate));
}
clearInterval(sampler);
db.$client.close();
const loadAtEnd = load();
paced.send('exit');

const exited = new Promise((r) => child.once('exit', r));
serverStopping = true;
child.kill('SIGTERM');
await exited;
const received = fromSink<{ accepted: number; distinctMessageIds: number; distinctRecipients: number; missingMessageIds: number }>('accepted');
sink.send('report');
const mail = await received;
sink.send('close');
fs.rmSync(work, { recursive: true, force: true });

const results = {
  date: new Date().toISOString().slice(0, 10),
  serve: process.env.BENCH_SERVE ?? 'scripts/serve.ts',
  sinkIdle: SINK_IDLE,
  sinkNice: SINK_NICE,
  loadAverage: { start: loadAtStart, end: loadAtEnd },
  recipients: RECIPIENTS,
  received: { ...mail, duplicates: mail.accepted - mail.distinctMessageIds },
  residentMb: { beforeReading: rssIdle, peak: rssPeak, deliveryProcessPeak: deliveryRssPeak },
  phases,
};
fs.writeFileSync(path.join(root, 'bench/fanout-results.json'), JSON.stringify(results, null, 2) + '\n');
const POLICY: Record<number, string> = { 0: 'normal', 3: 'batch', 5: 'idle' };
const cell = (n: number | undefined, width: number) => String(n ?? '').padStart(width);
const row = (name: string, r: Row) =>
  `    ${name.padEnd(16)}${cell(r.requestsPerSec, 8)} ${cell(r.p50, 6)} ${cell(r.p99, 6)} ${cell(r.p999, 7)} ${cell(r.max, 6)} ${cell(r.errors, 7)}`;
log('');
log(`Fan-outs to ${RECIPIENTS.toLocaleString('en-US')} email subscribers over loopback SMTP${SINK_IDLE ? ' (the SMTP sink under SCHED_IDLE)' : ''}${SINK_NICE ? ` (the SMTP sink at nice ${SINK_NICE})` : ''} (load average ${loadAtStart.join(' ')} at the start, ${loadAtEnd.join(' ')} at the end):`);
log(`  received ${mail.accepted} messages, ${mail.distinctMessageIds} distinct Message-IDs, ${mail.distinctRecipients} recipients, ${results.received.duplicates} duplicate(s), ${mail.missingMessageIds} without a Message-ID`);
log(`  server resident memory: ${rssIdle} MB before reading, peak ${rssPeak} MB; the delivery process's own: peak ${deliveryRssPeak} MB`);
for (const p of phases) {
  const { idle: i, duringFanout: d, idleAfter: a } = p.home;
  log(`  readers ${p.readers}:`);
  log(`    enqueue ${p.enqueueMs} ms; ${p.messages} messages delivered in ${p.fanoutSeconds} s: ${p.messagesPerSecond} messages/s`);
  log(
    `    delivery threads' nice ${[...new Set(p.deliveryNice)].join(', ') || 'none'}, policy ${[...new Set(p.deliveryPolicy.map((n) => POLICY[n] ?? n))].join(', ') || 'none'}, ` +
      `${p.deliveryCpuMsPerMessage} ms CPU a message; CPU (cores) idle: server ${p.cpu.idle.server}; during: server ${p.cpu.duringFanout.server}, delivery ${p.cpu.duringFanout.delivery}, the SMTP sink ${p.cpu.duringFanout.sink}`,
  );
  log(`    reading /         req/s  p50 ms p99 ms p99.9 ms max ms errors`);
  log(row('idle', i));
  log(row(`opening, ${OPENING_MS / 1000} s`, p.home.duringOpening));
  log(row('rest of fan-out', d));
  log(row('idle again', a));
  const best = Math.max(i.requestsPerSec, a.requestsPerSec);
  log(`    rest of fan-out vs the better idle reading: ${Math.round((d.requestsPerSec / best - 1) * 100)} % req/s, p99 ${round1(d.p99 - Math.min(i.p99, a.p99))} ms`);
}
if (mail.distinctMessageIds !== expectedInAll || phases.some((p) => p.messages !== mail.distinctRecipients)) {
  log(`  WRONG: expected ${expectedInAll} distinct messages, ${phases[0]?.messages} recipients`);
  process.exitCode = 1;
}
