// Every component, in status-page order with its group, for the level pickers of admin forms.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { pageOrder } from '../component-order.ts';

export interface ComponentChoice {
  publicId: string;
  name: string;
  group: string | null;
}

export function listComponentChoices(db: Db): ComponentChoice[] {
  return db
    .select({ publicId: s.components.publicId, name: s.components.name, group: s.componentGroups.name })
    .from(s.components)
    .leftJoin(s.componentGroups, eq(s.componentGroups.id, s.components.groupId))
    .orderBy(...pageOrder)
    .all();
}
