// A process that does for delivery what the server does (scripts/serve.ts): supervises the delivery
// process. It prints the delivery process's pid once it delivers. The crash test kills this process
// with SIGKILL, as the server can be killed: the delivery process must not outlive it.
// Environment: CANDOR_DB, CANDOR_SMTP_URL.
import { DeliverySupervisor } from '../../src/server/notify/delivery-supervisor.ts';

const supervisor = new DeliverySupervisor({
  config: { databasePath: process.env.CANDOR_DB!, smtpUrl: process.env.CANDOR_SMTP_URL!, mailFrom: 'status@example.test', webhookAllowPrivate: true, litestream: false, purge: null },
  log: { info: (_fields, message) => console.log(message), warn: (fields, message) => console.log(message, JSON.stringify(fields)) },
  pollMs: 20,
});
await supervisor.ready();
console.log(JSON.stringify({ deliveryPid: supervisor.child!.pid }));
// The server's listening socket keeps it running; the supervisor's own timers do not.
const running = setInterval(() => undefined, 60_000);
process.on('SIGTERM', () => void supervisor.stop().then(() => clearInterval(running)));
