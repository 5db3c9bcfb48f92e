// Components in the order the status page lists them, for queries that join components to groups.
import { sql } from 'drizzle-orm';
import * as s from '../../db/schema.ts';

/**
 * Groups and ungrouped components share the top-level order; components keep their order inside
 * a group. Use with `components LEFT JOIN component_groups`.
 */
export const pageOrder = [
  sql`coalesce(${s.componentGroups.position}, ${s.components.position})`,
  sql`case when ${s.componentGroups.id} is null then 0 else ${s.components.position} end`,
  s.components.id,
];
