// The writer of `npm run bench`: opens an incident, then posts an update to it every 100 ms through
// the same command the workspace and the write API use, from its own connection (as a second
// process would). Prints how many updates it posted when stopped.
import path from 'node:path';
import { openDatabase } from '../db/client.ts';
import { openIncident } from '../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../src/server/commands/post-incident-update.ts';

const [databasePath, everyMs = '100'] = process.argv.slice(2);
if (!databasePath) throw new Error('usage: writer.ts <database> [every-ms]');
const db = openDatabase(databasePath, path.resolve('db/migrations'));
const by = { actor: { userId: null, tokenId: null, label: 'bench writer' }, role: 'editor' as const };
const { publicId } = openIncident(db, by, { title: 'Benchmark: delayed deliveries', impact: 'minor', message: 'We are looking into delayed deliveries.' }, Date.now());
console.log(`incident ${publicId}`);
let posted = 0;
const timer = setInterval(() => {
  posted++;
  postIncidentUpdate(db, by, publicId, { status: 'identified', message: `Queue draining, update ${posted}.` }, Date.now());
}, Number(everyMs));
process.once('SIGTERM', () => {
  clearInterval(timer);
  db.$client.close();
  console.log(`posted ${posted}`);
  process.exit(0);
});
