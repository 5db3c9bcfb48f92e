// Component groups (one level): create and edit. A new group goes to the end of the page.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import { componentGroups } from '../../../db/schema.ts';
import { requireRole } from '../auth/staff.ts';
import { NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { nextPosition } from './components.ts';
import { descriptionText, nameText } from './config-input.ts';
import { parseInput } from './input.ts';
import { runCommand } from './run-command.ts';

const schema = z.object({ name: nameText('group'), description: descriptionText });

export interface GroupInput {
  name: string;
  description: string;
}

export function createGroup(db: Db, by: Authority, input: GroupInput, now: number): string {
  requireRole(by, 'editor');
  const data = parseInput(schema, input);
  return runCommand(db, by.actor, now, ({ tx, audit }) => {
    const publicId = newPublicId();
    const position = nextPosition(tx, null);
    tx.insert(componentGroups).values({ publicId, name: data.name, description: data.description, position, createdAt: now, updatedAt: now }).run();
    audit({ action: 'group.create', entityType: 'group', entityId: publicId, after: data });
    return publicId;
  });
}

export function updateGroup(db: Db, by: Authority, publicId: string, input: GroupInput, now: number): void {
  requireRole(by, 'editor');
  const data = parseInput(schema, input);
  runCommand(db, by.actor, now, ({ tx, audit }) => {
    const before = tx.select().from(componentGroups).where(eq(componentGroups.publicId, publicId)).get();
    if (!before) throw new NotFound('No such group.');
    tx.update(componentGroups).set({ name: data.name, description: data.description, updatedAt: now }).where(eq(componentGroups.id, before.id)).run();
    audit({ action: 'group.update', entityType: 'group', entityId: publicId, before: { name: before.name, description: before.description }, after: data });
  });
}
