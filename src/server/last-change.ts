// When anything public last changed. Every write through runCommand bumps site_settings, but
// rows written otherwise (the demo seed, imports) only carry their own updatedAt — so take the
// latest of all of them. Drives page.updated_at in the API and Last-Modified on every response.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';

type Stamped = typeof s.siteSettings | typeof s.incidents | typeof s.maintenances | typeof s.postmortems | typeof s.components | typeof s.componentGroups;

const latest = (table: Stamped) => sql`coalesce((select max(${table.updatedAt}) from ${table}), 0)`;

// The scan over every table runs once per data version (each command bumps it), not per request.
const cache = new WeakMap<Db, { dataVersion: number; at: number }>();

export function loadLastChangeAt(db: Db): number {
  const dataVersion = db.select({ v: s.siteSettings.dataVersion }).from(s.siteSettings).where(eq(s.siteSettings.id, 1)).get()?.v ?? 0;
  const cached = cache.get(db);
  if (cached?.dataVersion === dataVersion) return cached.at;
  const { at } = db.get<{ at: number }>(
    sql`select max(${latest(s.siteSettings)}, ${latest(s.incidents)}, ${latest(s.maintenances)}, ${latest(s.postmortems)}, ${latest(s.components)}, ${latest(s.componentGroups)}) as at`,
  );
  cache.set(db, { dataVersion, at });
  return at;
}
