// A seeded temporary database for command tests, with helpers to look rows up and count them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import type { Authority } from '../../src/server/commands/authority.ts';
import { renderMarkdown } from '../../src/server/markdown.ts';

export const EDITOR: Authority = { actor: { userId: null, tokenId: null, label: 'editor@example.test' }, role: 'editor' };
export const OWNER: Authority = { actor: { userId: null, tokenId: null, label: 'owner@example.test' }, role: 'owner' };
export const VIEWER: Authority = { actor: { userId: null, tokenId: null, label: 'viewer@example.test' }, role: 'viewer' };

const TABLES = [
  'incidents', 'incident_updates', 'incident_update_components', 'update_revisions', 'impact_periods',
  'impact_corrections', 'postmortems', 'maintenances', 'maintenance_components', 'maintenance_updates', 'audit_log',
  'notifications', 'deliveries', 'component_announcements',
];

export interface CommandDb {
  db: Db;
  /** Component public id by slug. */
  component: (slug: string) => string;
  /** Row count of every table a command may write, plus the data version. */
  counts: () => Record<string, number>;
  close: () => void;
}

// Migrating and seeding take ~35 ms of CPU a database, and a file's tests mostly seed with the same
// `now`: the first one for a `now` is kept closed (its WAL checkpointed into the file) as a template,
// and each test gets its own copy of that file, opened the same way.
let templateDir: string | undefined;
const templates = new Map<number, string>();

function seededTemplate(now: number): string {
  let file = templates.get(now);
  if (file === undefined) {
    if (templateDir === undefined) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-command-templates-'));
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      templateDir = dir;
    }
    file = path.join(templateDir, `${templates.size}.db`);
    const db = openDatabase(file, path.resolve('db/migrations'));
    seedDemo(db, { now: now - 60_000, render: renderMarkdown });
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
    templates.set(now, file);
  }
  return file;
}

export function openCommandDb(now: number): CommandDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-commands-'));
  fs.copyFileSync(seededTemplate(now), path.join(dir, 'candor.db'));
  const db = openDatabase(path.join(dir, 'candor.db'), path.resolve('db/migrations'));
  return {
    db,
    component: (slug) => db.select().from(s.components).where(eq(s.components.slug, slug)).get()!.publicId,
    counts: () => ({
      ...Object.fromEntries(TABLES.map((t) => [t, (db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n])),
      dataVersion: db.select().from(s.siteSettings).get()!.dataVersion,
    }),
    close: () => {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn`, expects it to throw, and returns what it threw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the command to be refused, but it succeeded');
}
