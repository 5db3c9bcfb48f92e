// `npm run import -- --from <url-of-a-status-page>` — bring a Statuspage-compatible page's
// components, groups, incidents (with their updates, back-dated and marked imported) and
// maintenance into Candor's database (CANDOR_DB). Run it again to pick up what changed since:
// what was imported before is updated, never duplicated.
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { getConfig } from '../src/config.ts';
import { importStatusPage } from '../src/server/commands/import-status-page.ts';
import { SYSTEM_OWNER } from '../src/server/commands/users.ts';
import { fetchStatusPage, normaliseSource } from '../src/server/import/status-page-documents.ts';
import { ensureSiteSettings } from '../src/server/site.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let from: string | undefined;
try {
  ({ values: { from } } = parseArgs({ options: { from: { type: 'string' } } }));
} catch (error) {
  fail(`${(error as Error).message}\nUsage: npm run import -- --from https://status.example.com`);
}
if (!from) fail('Say which page to import: npm run import -- --from https://status.example.com');

let source: string;
try {
  source = normaliseSource(from);
} catch (error) {
  fail(`“${from}” is not a web address: ${(error as Error).message}`);
}

let documents;
try {
  documents = await fetchStatusPage(source);
} catch (error) {
  fail(`Could not read ${source}/api/v2: ${(error as Error).message}. Nothing was imported.`);
}

const { databasePath, migrationsDir } = getConfig();
const db = openDatabase(databasePath, migrationsDir);
try {
  ensureSiteSettings(db, Date.now());
  const c = importStatusPage(db, SYSTEM_OWNER, { source, documents }, Date.now());
  console.log(
    `Imported ${source} into ${databasePath}: ` +
      `${c.groups.created} groups and ${c.components.created} components new (${c.groups.updated + c.components.updated} updated), ` +
      `${c.incidents.created} incidents new (${c.incidents.updated} updated), ${c.maintenance.created} maintenance windows new ` +
      `(${c.maintenance.updated} updated), ${c.updates.created} updates new.`,
  );
} finally {
  db.$client.close();
}
