// The process-wide database handle: opened, migrated and (when empty) seeded on first use.
import { getConfig } from '../config.ts';
import { openDatabase, type Db } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { renderMarkdown } from './markdown.ts';
import { ensureSiteSettings } from './site.ts';

let db: Db | undefined;

export function prepareDatabase(now = Date.now()): { db: Db; seeded: boolean } {
  const config = getConfig();
  const opened = openDatabase(config.databasePath, config.migrationsDir, { autoCheckpoint: !config.litestream });
  const seeded = config.seedDemoWhenEmpty ? seedDemo(opened, { now, render: renderMarkdown }) : false;
  ensureSiteSettings(opened, now);
  return { db: opened, seeded };
}

export function getDb(): Db {
  db ??= prepareDatabase().db;
  return db;
}
