// `npm run bench:fanout` (also the last part of `npm run bench`): 10,000 email subscribers, one
// incident. Measures the time the command takes to enqueue every message (in its transaction),
// how fast the server's own delivery worker hands them to an SMTP server on loopback (smtp-server
// in this process, accepting everything), and `/` latency under autocannon while that runs, against
// the same load with nothing to send. Writes bench/fanout-results.json.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../db/client.ts';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { freePort } from '../scripts/free-port.ts';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { openIncident } from '../src/server/commands/open-incident.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-fanout-'));
const log = (line: string) => console.log(line);

if (!buildIfStale()) process.exit(1);

// The receiving mail server: counts accepted messages, parses nothing.
let accepted = 0;
let lastAcceptedAt = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => {
      accepted++;
      lastAcceptedAt = performance.now();
      callback();
    });
  },
});
smtp.on('error', () => undefined);
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as net.AddressInfo).port;

const databasePath = path.join(work, 'candor.db');
const port = await freePort();
const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/serve.ts'], {
  env: {
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

log(`Reading / with nothing to send (${SECONDS} s, ${CONNECTIONS} connections)…`);
const idle = await measure(SECONDS);

log(`Opening an incident that ${RECIPIENTS.toLocaleString('en-US')} subscribers hear about, reading / meanwhile…`);
const during = measure(120);
await new Promise((r) => setTimeout(r, 1000)); // the load is on before the fan-out starts
const enqueueStarted = performance.now();
openIncident(
  db,
  { actor: { userId: null, tokenId: null, label: 'bench' }, role: 'editor' },
  { title: 'Fan-out benchmark', impact: 'major', message: 'Everyone hears about this.' },
  Date.now(),
);
const enqueueMs = performance.now() - enqueueStarted;
const fanoutStarted = performance.now();
while (accepted < RECIPIENTS) {
  if (performance.now() - fanoutStarted > 600_000) throw new Error(`only ${accepted} of ${RECIPIENTS} messages after 10 minutes`);
  await new Promise((r) => setTimeout(r, 20));
}
const fanoutMs = lastAcceptedAt - fanoutStarted;
(during as unknown as { stop: () => void }).stop();
const busy = await during;
db.$client.close();

const exited = new Promise((r) => child.once('exit', r));
child.kill('SIGTERM');
await exited;
await new Promise<void>((resolve) => smtp.close(() => resolve()));
fs.rmSync(work, { recursive: true, force: true });

const results = {
  date: new Date().toISOString().slice(0, 10),
  recipients: RECIPIENTS,
  enqueueMs: Math.round(enqueueMs),
  fanoutSeconds: Math.round(fanoutMs / 100) / 10,
  messagesPerSecond: Math.round(RECIPIENTS / (fanoutMs / 1000)),
  home: {
    idle: { requestsPerSec: Math.round(idle.requests.average), p50: idle.latency.p50, p99: idle.latency.p99 },
    duringFanout: { requestsPerSec: Math.round(busy.requests.average), p50: busy.latency.p50, p99: busy.latency.p99, errors: busy.errors + busy.non2xx },
  },
};
fs.writeFileSync(path.join(root, 'bench/fanout-results.json'), JSON.stringify(results, null, 2) + '\n');
log('');
log(`Fan-out to ${RECIPIENTS.toLocaleString('en-US')} email subscribers over loopback SMTP:`);
log(`  enqueue (the command's transaction, every outbox row): ${results.enqueueMs} ms`);
log(`  delivered in ${results.fanoutSeconds} s: ${results.messagesPerSecond} messages/s`);
log(`  / idle:          ${results.home.idle.requestsPerSec} req/s, p50 ${results.home.idle.p50} ms, p99 ${results.home.idle.p99} ms`);
log(`  / during fan-out: ${results.home.duringFanout.requestsPerSec} req/s, p50 ${results.home.duringFanout.p50} ms, p99 ${results.home.duringFanout.p99} ms, errors ${results.home.duringFanout.errors}`);
