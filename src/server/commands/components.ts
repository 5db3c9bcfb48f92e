// Components: create and edit (name, slug, description, group, start date, SLA policy).
// Editors and owners may do this; new ones go last in their group or at the end of the page.
import { and, eq, isNull, max, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import { componentGroups, components, slaPolicies } from '../../../db/schema.ts';
import { requireRole } from '../auth/staff.ts';
import { Invalid, NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { descriptionText, nameText, optionalDate, optionalRef } from './config-input.ts';
import { parseInput } from './input.ts';
import { runCommand } from './run-command.ts';
import { type Tx } from '../actor.ts';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const schema = z.object({
  name: nameText('component'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Give the component a web address name, e.g. send-api.')
    .max(60, 'Use at most 60 characters.')
    .regex(SLUG_PATTERN, 'Use lowercase letters, digits and single hyphens, e.g. send-api.'),
  description: descriptionText,
  group: optionalRef,
  startDate: optionalDate,
  slaPolicy: optionalRef,
});

export interface ComponentInput {
  name: string;
  slug: string;
  description: string;
  /** Group public id, or '' for none. */
  group: string;
  /** YYYY-MM-DD, or '' for unknown. */
  startDate: string;
  /** SLA policy public id, or '' for the site default. */
  slaPolicy: string;
}

/** Resolves the form's references inside the transaction; every problem reported at once. */
function resolveInput(tx: Tx, input: ComponentInput, publicId: string | null) {
  const data = parseInput(schema, input);
  const problems: Record<string, string> = {};
  const group = data.group === null ? null : tx.select().from(componentGroups).where(eq(componentGroups.publicId, data.group)).get();
  if (group === undefined) problems.group = 'Choose a group from the list.';
  const policy = data.slaPolicy === null ? null : tx.select().from(slaPolicies).where(eq(slaPolicies.publicId, data.slaPolicy)).get();
  if (policy === undefined) problems.slaPolicy = 'Choose an SLA policy from the list.';
  const clash = tx
    .select({ id: components.id })
    .from(components)
    .where(publicId === null ? eq(components.slug, data.slug) : and(eq(components.slug, data.slug), ne(components.publicId, publicId)))
    .get();
  if (clash) problems.slug = 'Another component already uses this web address name.';
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  return { data, groupId: group?.id ?? null, slaPolicyId: policy?.id ?? null };
}

/** The next position at the end of a group, or at the end of the top level (shared with groups). */
export function nextPosition(tx: Tx, groupId: number | null): number {
  if (groupId !== null) {
    return (tx.select({ p: max(components.position) }).from(components).where(eq(components.groupId, groupId)).get()?.p ?? 0) + 1;
  }
  const ungrouped = tx.select({ p: max(components.position) }).from(components).where(isNull(components.groupId)).get()?.p ?? 0;
  const groups = tx.select({ p: max(componentGroups.position) }).from(componentGroups).get()?.p ?? 0;
  return Math.max(ungrouped, groups) + 1;
}

const snapshot = (c: typeof components.$inferSelect) => ({
  name: c.name,
  slug: c.slug,
  description: c.description,
  groupId: c.groupId,
  startDate: c.startDate,
  slaPolicyId: c.slaPolicyId,
});

export function createComponent(db: Db, by: Authority, input: ComponentInput, now: number): string {
  requireRole(by, 'editor');
  return runCommand(db, by.actor, now, ({ tx, audit }) => {
    const { data, groupId, slaPolicyId } = resolveInput(tx, input, null);
    const publicId = newPublicId();
    const row = tx
      .insert(components)
      .values({
        publicId,
        slug: data.slug,
        name: data.name,
        description: data.description,
        groupId,
        position: nextPosition(tx, groupId),
        startDate: data.startDate,
        slaPolicyId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    audit({ action: 'component.create', entityType: 'component', entityId: publicId, after: snapshot(row) });
    return publicId;
  });
}

export function updateComponent(db: Db, by: Authority, publicId: string, input: ComponentInput, now: number): void {
  requireRole(by, 'editor');
  runCommand(db, by.actor, now, ({ tx, audit }) => {
    const before = tx.select().from(components).where(eq(components.publicId, publicId)).get();
    if (!before) throw new NotFound('No such component.');
    const { data, groupId, slaPolicyId } = resolveInput(tx, input, publicId);
    const position = groupId === before.groupId ? before.position : nextPosition(tx, groupId);
    const after = tx
      .update(components)
      .set({ slug: data.slug, name: data.name, description: data.description, groupId, position, startDate: data.startDate, slaPolicyId, updatedAt: now })
      .where(eq(components.id, before.id))
      .returning()
      .get();
    audit({ action: 'component.update', entityType: 'component', entityId: publicId, before: snapshot(before), after: snapshot(after) });
  });
}
