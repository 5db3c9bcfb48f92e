// `npm run bench:fanout` (also the last part of `npm run bench`): 10,000 email subscribers, one
// incident. Measures the time the command takes to enqueue every message (in its transaction),
// how fast the server's own delivery thread hands them to an SMTP server on loopback, and `/`
// latency under autocannon while that runs, against the same load with nothing to send, printed
// side by side. The SMTP server (bench/smtp-sink.ts) runs in a process of its own, counts Message-IDs
// and parses nothing, so neither its CPU nor its event loop is counted against the readers' figures;
// it still shares this machine's cores with Candor, as autocannon does. Also reports the server's
// resident memory and the delivery thread's CPU and nice value (from /proc). Writes
// bench/fanout-results.json. BENCH_SERVE may name another checkout's scripts/serve.ts to compare
// (it serves this checkout's build).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openDatabase } from '../db/client.ts';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { freePort } from '../scripts/free-port.ts';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { openIncident } from '../src/server/commands/open-incident.ts';
import { residentMb } from './candor-process.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
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

const measure = (duration: number) =>
  autocannon({ url: `${url}/`, connections: CONNECTIONS, duration, headers: { 'Accept-Encoding': 'br, gzip' } });

/** CPU seconds (user + system) of the server, and of its niced threads (the delivery thread), from /proc. */
function cpu(pid: number): { process: number; niced: number; nice: number[] } {
  const fields = (file: string) => {
    const stat = fs.readFileSync(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  const ticks = (f: string[]) => (Number(f[11]) + Number(f[12])) / 100;
  let niced = 0;
  const nice: number[] = [];
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = fields(`/proc/${pid}/task/${tid}/stat`);
      if (Number(f[16]) > 0) {
        niced += ticks(f);
        nice.push(Number(f[16]));
      }
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { process: ticks(fields(`/proc/${pid}/stat`)), niced, nice };
}
const round1 = (n: number) => Math.round(n * 10) / 10;
const load = () => os.loadavg().map(round1);
const serverPid = child.pid!;
const loadAtStart = load();
const rssIdle = residentMb(serverPid).now;
let rssPeak = 0;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, residentMb(serverPid).now)), 100);

// Warm up first (JIT, caches, connections): otherwise the idle figure is a cold server's.
await measure(3);
log(`Reading / with nothing to send (${SECONDS} s, ${CONNECTIONS} connections)…`);
const cpuBeforeIdle = cpu(serverPid);
const idle = await measure(SECONDS);
const cpuAfterIdle = cpu(serverPid);
const rssIdlePeak = rssPeak;
rssPeak = 0;

log(`Opening an incident that ${RECIPIENTS.toLocaleString('en-US')} subscribers hear about, reading / meanwhile…`);
const during = measure(120);
await new Promise((r) => setTimeout(r, 1000)); // the load is on before the fan-out starts
const cpuBeforeFanout = cpu(serverPid);
const emailRows = () => db.$client.prepare(`select count(*) from deliveries where kind = 'email'`).pluck().get() as number;
const rowsBefore = emailRows();
const enqueueStarted = performance.now();
const fanoutStartedAt = Date.now();
openIncident(
  db,
  { actor: { userId: null, tokenId: null, label: 'bench' }, role: 'editor' },
  { title: 'Fan-out benchmark', impact: 'major', message: 'Everyone hears about this.' },
  Date.now(),
);
const enqueueMs = performance.now() - enqueueStarted;
// The bench's subscribers and the demo data's confirmed email subscribers who hear about everything.
const expected = emailRows() - rowsBefore;
const reached = fromSink<{ reached: number; at: number }>('reached');
sink.send({ waitFor: expected });
const timeout = setTimeout(() => {
  throw new Error(`not every message arrived after 10 minutes`);
}, 600_000);
const fanoutMs = (await reached).at - fanoutStartedAt;
clearTimeout(timeout);
const cpuAfterFanout = cpu(serverPid);
(during as unknown as { stop: () => void }).stop();
const busy = await during;
// Idle again: other work on a shared machine comes and goes, so one idle figure before is not enough.
log(`Reading / with nothing to send again (${SECONDS} s)…`);
const idleAfter = await measure(SECONDS);
clearInterval(sampler);
db.$client.close();
const loadAtEnd = load();

const exited = new Promise((r) => child.once('exit', r));
child.kill('SIGTERM');
await exited;
const received = fromSink<{ accepted: number; distinctMessageIds: number; distinctRecipients: number; missingMessageIds: number }>('accepted');
sink.send('report');
const mail = await received;
sink.send('close');
fs.rmSync(work, { recursive: true, force: true });

const cpuShare = (before: ReturnType<typeof cpu>, after: ReturnType<typeof cpu>, ms: number) => ({
  server: round1((after.process - before.process) / (ms / 1000)),
  deliveryThread: round1((after.niced - before.niced) / (ms / 1000)),
});
const fanoutSeconds = Math.round(fanoutMs / 100) / 10;
const results = {
  date: new Date().toISOString().slice(0, 10),
  serve: process.env.BENCH_SERVE ?? 'scripts/serve.ts',
  loadAverage: { start: loadAtStart, end: loadAtEnd },
  recipients: RECIPIENTS,
  enqueueMs: Math.round(enqueueMs),
  fanoutSeconds,
  messages: expected,
  messagesPerSecond: Math.round(expected / (fanoutMs / 1000)),
  received: { ...mail, duplicates: mail.accepted - mail.distinctMessageIds },
  deliveryThreadNice: cpuAfterFanout.nice,
  /** Cores' worth of CPU: the whole server, and the niced (delivery) thread alone. */
  cpu: { idle: cpuShare(cpuBeforeIdle, cpuAfterIdle, SECONDS * 1000), duringFanout: cpuShare(cpuBeforeFanout, cpuAfterFanout, fanoutMs) },
  residentMb: { beforeReading: rssIdle, peakIdle: rssIdlePeak, peakDuringFanout: rssPeak },
  home: {
    idle: { requestsPerSec: Math.round(idle.requests.average), p50: idle.latency.p50, p99: idle.latency.p99, errors: idle.errors + idle.non2xx },
    duringFanout: { requestsPerSec: Math.round(busy.requests.average), p50: busy.latency.p50, p99: busy.latency.p99, errors: busy.errors + busy.non2xx },
    idleAfter: { requestsPerSec: Math.round(idleAfter.requests.average), p50: idleAfter.latency.p50, p99: idleAfter.latency.p99, errors: idleAfter.errors + idleAfter.non2xx },
  },
};
fs.writeFileSync(path.join(root, 'bench/fanout-results.json'), JSON.stringify(results, null, 2) + '\n');
const { idle: i, duringFanout: d } = results.home;
const row = (name: string, r: typeof i) => `  ${name.padEnd(18)}${String(r.requestsPerSec).padStart(8)} ${String(r.p50).padStart(6)} ${String(r.p99).padStart(6)} ${String(r.errors).padStart(7)}`;
log('');
log(`Fan-out to ${RECIPIENTS.toLocaleString('en-US')} email subscribers over loopback SMTP (load average ${loadAtStart.join(' ')} at the start, ${loadAtEnd.join(' ')} at the end):`);
log(`  enqueue (the command's transaction, every outbox row): ${results.enqueueMs} ms`);
log(`  ${expected} messages delivered in ${fanoutSeconds} s: ${results.messagesPerSecond} messages/s; received ${mail.accepted}, ${mail.distinctMessageIds} distinct Message-IDs, ${mail.distinctRecipients} recipients, ${results.received.duplicates} duplicate(s), ${mail.missingMessageIds} without a Message-ID`);
log(`  delivery thread nice ${cpuAfterFanout.nice.join(', ') || 'none'}; CPU (cores) idle: server ${results.cpu.idle.server}; during the fan-out: server ${results.cpu.duringFanout.server}, of it the delivery thread ${results.cpu.duringFanout.deliveryThread}`);
log(`  server resident memory: ${rssIdle} MB before reading, peak ${rssIdlePeak} MB reading, ${rssPeak} MB during the fan-out`);
log(`  reading /          req/s  p50 ms p99 ms  errors`);
log(row('idle', i));
log(row('during fan-out', d));
log(row('idle again', results.home.idleAfter));
log(`  change from idle  ${`${Math.round((d.requestsPerSec / i.requestsPerSec - 1) * 100)} %`.padStart(8)} ${String(round1(d.p50 - i.p50)).padStart(6)} ${String(round1(d.p99 - i.p99)).padStart(6)}`);
if (mail.distinctMessageIds !== expected || mail.distinctRecipients !== expected) {
  log(`  WRONG: expected ${expected} distinct messages and recipients`);
  process.exitCode = 1;
}
