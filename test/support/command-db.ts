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
// `now`: the first database for a `now` is kept as its bytes (SQLite's serialize, ~0.5 MB), and each
// test writes them to its own new file and opens that, as it would have opened the one it seeded.
// Nothing is left on disk; the last few templates are kept, as files in a worker run one after another.
const templates = new Map<number, Buffer>();
const KEPT_TEMPLATES = 4;

function seededTemplate(now: number): Buffer {
  let bytes = templates.get(now);
  if (bytes === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-command-template-'));
    try {
      const db = openDatabase(path.join(dir, 'candor.db'), path.resolve('db/migrations'));
      seedDemo(db, { now: now - 60_000, render: renderMarkdown });
      bytes = db.$client.serialize();
      db.$client.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (templates.size >= KEPT_TEMPLATES) templates.delete(templates.keys().next().value!);
    templates.set(now, bytes);
  }
  return bytes;
}

export function openCommandDb(now: number): CommandDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-commands-'));
  fs.writeFileSync(path.join(dir, 'candor.db'), seededTemplate(now));
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
