// Moves a component or a group one place up or down among its siblings: the components of its
// group, or the top level, where groups and ungrouped components share one order. Siblings are
// renumbered 1…n so the order stays gapless whatever it was before.
import { asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { componentGroups, components } from '../../../db/schema.ts';
import { requireRole } from '../auth/staff.ts';
import { NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { parseInput } from './input.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

interface Sibling {
  kind: 'group' | 'component';
  id: number;
  publicId: string;
  position: number;
}

function topLevel(tx: Tx): Sibling[] {
  const groups = tx.select().from(componentGroups).all().map((g) => ({ kind: 'group' as const, id: g.id, publicId: g.publicId, position: g.position }));
  const loose = tx
    .select()
    .from(components)
    .where(isNull(components.groupId))
    .all()
    .map((c) => ({ kind: 'component' as const, id: c.id, publicId: c.publicId, position: c.position }));
  // Same tie-break as the status page: a group before a component at the same position.
  return [...groups, ...loose].sort((a, b) => a.position - b.position || (a.kind === b.kind ? a.id - b.id : a.kind === 'group' ? -1 : 1));
}

function inGroup(tx: Tx, groupId: number): Sibling[] {
  return tx
    .select()
    .from(components)
    .where(eq(components.groupId, groupId))
    .orderBy(asc(components.position), asc(components.id))
    .all()
    .map((c) => ({ kind: 'component' as const, id: c.id, publicId: c.publicId, position: c.position }));
}

const schema = z.object({
  kind: z.enum(['component', 'group'], 'Say whether a component or a group moves.'),
  publicId: z.string().min(1, 'Say what moves.'),
  direction: z.enum(['up', 'down'], 'Move up or down.'),
});

export interface MoveInput {
  kind: string;
  publicId: string;
  direction: string;
}

export function reorderComponents(db: Db, by: Authority, input: MoveInput, now: number): void {
  requireRole(by, 'editor');
  const { kind, publicId, direction } = parseInput(schema, input);
  runCommand(db, by.actor, now, ({ tx, audit }) => {
    let siblings: Sibling[];
    if (kind === 'group') {
      siblings = topLevel(tx);
    } else {
      const component = tx.select().from(components).where(eq(components.publicId, publicId)).get();
      if (!component) throw new NotFound('No such component.');
      siblings = component.groupId === null ? topLevel(tx) : inGroup(tx, component.groupId);
    }
    const from = siblings.findIndex((s) => s.kind === kind && s.publicId === publicId);
    if (from === -1) throw new NotFound(`No such ${kind}.`);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= siblings.length) return;
    const order = [...siblings];
    [order[from], order[to]] = [order[to]!, order[from]!];
    order.forEach((s, i) => {
      if (s.position === i + 1) return;
      const table = s.kind === 'group' ? componentGroups : components;
      tx.update(table).set({ position: i + 1, updatedAt: now }).where(eq(table.id, s.id)).run();
    });
    audit({ action: `${kind}.move`, entityType: kind, entityId: publicId, before: { position: from + 1 }, after: { position: to + 1 } });
  });
}
