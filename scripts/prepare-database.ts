// Opens, migrates and (when empty) seeds the database before the server starts, so problems
// surface as one clear line at start-up rather than on the first request.
import { getConfig, type Config } from '../src/config.ts';
import { countStaffAccounts } from '../src/server/admin/users-page.ts';
import { prepareDatabase as openAndSeed } from '../src/server/db.ts';
import { describeStartup, PREPARED_DAMAGED, type Startup } from './database-ready.ts';

export { describeStartup };

/** Prepares the database `config` names (the environment's by default) and says what it found. */
export function prepareDatabase(config: Config = getConfig()): Startup {
  const { db, seeded, mode, earlierTraces, damage } = openAndSeed({ config });
  let noStaff = false;
  try {
    noStaff = countStaffAccounts(db) === 0;
  } catch (error) {
    if (mode !== 'damaged') throw error; // the accounts may be where the damage is
  }
  db.$client.close();
  return { databasePath: config.databasePath, seeded, noStaff, readOnly: mode === 'read-only', earlierTraces, damage };
}

// Run directly (scripts/serve.ts does, in a child process): print what was prepared, or one line
// saying why the database cannot be used, and exit non-zero.
if (import.meta.main) {
  try {
    const startup = prepareDatabase();
    console.log(describeStartup(startup));
    if (startup.damage !== undefined) process.exit(PREPARED_DAMAGED);
  } catch (error) {
    console.error(`Candor cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
