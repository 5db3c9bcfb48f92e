// Opens, migrates and (when empty) seeds the database before the server starts, so problems
// surface as one clear line at start-up rather than on the first request.
import { getConfig } from '../src/config.ts';
import { prepareDatabase as openAndSeed } from '../src/server/db.ts';

export interface Startup {
  databasePath: string;
  seeded: boolean;
}

export function prepareDatabase(): Startup {
  const { db, seeded } = openAndSeed();
  db.$client.close();
  return { databasePath: getConfig().databasePath, seeded };
}

export function describeStartup(startup: Startup): string {
  return `Database: ${startup.databasePath}${startup.seeded ? ' (new — demo data loaded)' : ''}`;
}
