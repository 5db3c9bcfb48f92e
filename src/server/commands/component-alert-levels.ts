// The per-component switch for automatic levels from alerts (off by default): when on, a firing
// alert that a source's rule maps to the component sets its level by itself, and clearing
// restores it (receiveAlerts). Owners only, like the alert sources whose alerts it lets through.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { requireRole } from '../auth/staff.ts';
import { NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { findComponents } from './incident-records.ts';
import { parseInput } from './input.ts';
import { runCommand } from './run-command.ts';

export const componentAlertLevelsInput = z.object({
  enabled: z.boolean({ error: 'Send true or false.' }),
});
export type ComponentAlertLevelsInput = z.input<typeof componentAlertLevelsInput>;

export function setComponentAlertLevels(db: Db, authority: Authority, componentPublicId: string, input: ComponentAlertLevelsInput, now: number): void {
  requireRole(authority, 'owner');
  const data = parseInput(componentAlertLevelsInput, input);
  runCommand(db, authority.actor, now, ({ tx, audit }) => {
    const row = tx.select({ id: s.components.id, alertLevels: s.components.alertLevels }).from(s.components).where(eq(s.components.publicId, componentPublicId)).get();
    if (!row) throw new NotFound('No such component.');
    if (row.alertLevels === data.enabled) return;
    tx.update(s.components).set({ alertLevels: data.enabled, updatedAt: now }).where(eq(s.components.id, row.id)).run();
    audit({ action: 'component.alert_levels', entityType: 'component', entityId: componentPublicId, before: { alertLevels: row.alertLevels }, after: { alertLevels: data.enabled } });
  });
}

export const alertLevelComponentsInput = z.object({
  componentIds: z.array(z.string()).max(1000),
});

/** The workspace's list form: exactly these components have automatic levels, in one transaction. */
export function setAlertLevelComponents(db: Db, authority: Authority, input: z.input<typeof alertLevelComponentsInput>, now: number): void {
  requireRole(authority, 'owner');
  const data = parseInput(alertLevelComponentsInput, input);
  runCommand(db, authority.actor, now, ({ tx, audit }) => {
    findComponents(tx, data.componentIds, 'componentIds');
    const wanted = new Set(data.componentIds);
    for (const row of tx.select({ id: s.components.id, publicId: s.components.publicId, alertLevels: s.components.alertLevels }).from(s.components).all()) {
      const enabled = wanted.has(row.publicId);
      if (row.alertLevels === enabled) continue;
      tx.update(s.components).set({ alertLevels: enabled, updatedAt: now }).where(eq(s.components.id, row.id)).run();
      audit({ action: 'component.alert_levels', entityType: 'component', entityId: row.publicId, before: { alertLevels: row.alertLevels }, after: { alertLevels: enabled } });
    }
  });
}
