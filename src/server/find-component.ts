// Looks a component up by its public slug (feeds and badges address components by slug).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema.ts';

export function findComponentBySlug(db: Db, slug: string): { id: number; name: string; slug: string; updatedAt: number } | null {
  return (
    db
      .select({ id: s.components.id, name: s.components.name, slug: s.components.slug, updatedAt: s.components.updatedAt })
      .from(s.components)
      .where(eq(s.components.slug, slug))
      .get() ?? null
  );
}
