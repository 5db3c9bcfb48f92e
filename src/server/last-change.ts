// When anything public last changed. Every write through runCommand bumps site_settings, but
// rows written otherwise (the demo seed, imports) only carry their own updatedAt — so take the
// latest of all of them. Drives page.updated_at in the API and Last-Modified on every response.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';

export function loadLastChangeAt(db: Db): number {
  const latest = (table: typeof s.siteSettings | typeof s.incidents | typeof s.maintenances | typeof s.postmortems | typeof s.components | typeof s.componentGroups) =>
    sql`coalesce((select max(${table.updatedAt}) from ${table}), 0)`;
  const row = db.get<{ at: number }>(
    sql`select max(${latest(s.siteSettings)}, ${latest(s.incidents)}, ${latest(s.maintenances)}, ${latest(s.postmortems)}, ${latest(s.components)}, ${latest(s.componentGroups)}) as at`,
  );
  return row.at;
}
