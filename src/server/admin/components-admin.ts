// What the component and group pages of the workspace show: the page order with move buttons,
// and forms filled from the stored rows (as the form fields' text).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { componentGroups, components, slaPolicies } from '../../../db/schema.ts';
import { NotFound } from '../errors.ts';

export interface Option {
  value: string;
  label: string;
}

export interface ComponentItem {
  kind: 'component';
  publicId: string;
  name: string;
  slug: string;
  startDate: string | null;
  policyName: string | null;
}

export interface GroupItem {
  kind: 'group';
  publicId: string;
  name: string;
  children: ComponentItem[];
}

export interface ComponentsAdminPage {
  /** Top level in page order: groups (with their components) and ungrouped components. */
  items: (GroupItem | ComponentItem)[];
}

export function getComponentsAdminPage(db: Db): ComponentsAdminPage {
  const policyNames = new Map(db.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).all().map((p) => [p.id, p.name]));
  const rows = db.select().from(components).orderBy(asc(components.position), asc(components.id)).all();
  const toItem = (c: (typeof rows)[number]): ComponentItem => ({
    kind: 'component',
    publicId: c.publicId,
    name: c.name,
    slug: c.slug,
    startDate: c.startDate,
    policyName: c.slaPolicyId === null ? null : (policyNames.get(c.slaPolicyId) ?? null),
  });
  const groups = db.select().from(componentGroups).all();
  const top = [
    ...groups.map((g) => ({ position: g.position, order: 0, id: g.id, item: { kind: 'group' as const, publicId: g.publicId, name: g.name, children: rows.filter((c) => c.groupId === g.id).map(toItem) } })),
    ...rows.filter((c) => c.groupId === null).map((c) => ({ position: c.position, order: 1, id: c.id, item: toItem(c) })),
  ];
  top.sort((a, b) => a.position - b.position || a.order - b.order || a.id - b.id);
  return { items: top.map((t) => t.item) };
}

export function groupOptions(db: Db): Option[] {
  const rows = db.select().from(componentGroups).orderBy(asc(componentGroups.position)).all();
  return [{ value: '', label: 'No group' }, ...rows.map((g) => ({ value: g.publicId, label: g.name }))];
}

export function policyOptions(db: Db, noneLabel: string): Option[] {
  const rows = db.select().from(slaPolicies).orderBy(asc(slaPolicies.name)).all();
  return [{ value: '', label: noneLabel }, ...rows.map((p) => ({ value: p.publicId, label: p.name }))];
}

export function getComponentForm(db: Db, publicId: string): Record<string, string> {
  const row = db.select().from(components).where(eq(components.publicId, publicId)).get();
  if (!row) throw new NotFound('No such component.');
  const group = row.groupId === null ? null : db.select().from(componentGroups).where(eq(componentGroups.id, row.groupId)).get();
  const policy = row.slaPolicyId === null ? null : db.select().from(slaPolicies).where(eq(slaPolicies.id, row.slaPolicyId)).get();
  return {
    name: row.name,
    slug: row.slug,
    description: row.description ?? '',
    group: group?.publicId ?? '',
    startDate: row.startDate ?? '',
    slaPolicy: policy?.publicId ?? '',
  };
}

export function getGroupForm(db: Db, publicId: string): Record<string, string> {
  const row = db.select().from(componentGroups).where(eq(componentGroups.publicId, publicId)).get();
  if (!row) throw new NotFound('No such group.');
  return { name: row.name, description: row.description ?? '' };
}

export const COMPONENT_FIELDS = ['name', 'slug', 'description', 'group', 'startDate', 'slaPolicy'] as const;
export const GROUP_FIELDS = ['name', 'description'] as const;

export interface ComponentFormPage {
  /** The component as stored (empty for a new one, with the group asked for in `?group=`). */
  stored: Record<string, string>;
  groups: Option[];
  policies: Option[];
}

/** The component form's page: a stored component (publicId), or a new one (null). */
export function getComponentFormPage(db: Db, publicId: string | null, url: URL): ComponentFormPage {
  const stored =
    publicId === null
      ? { name: '', slug: '', description: '', group: url.searchParams.get('group') ?? '', startDate: '', slaPolicy: '' }
      : getComponentForm(db, publicId);
  return { stored, groups: groupOptions(db), policies: policyOptions(db, 'The site default') };
}
