// Alert sources: a monitoring system allowed to post to /api/alerts/<slug>, with its own token
// (shown once, stored as a SHA-256 like API tokens) and the rules that map its alerts' labels to
// components. Owners only: a source can open drafts in the site's name.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { newPublicId } from '../../../db/ids.ts';
import * as s from '../../../db/schema.ts';
import { ALERT_SOURCE_KINDS } from '../alerts/parse-alerts.ts';
import { generateApiToken, hashApiToken } from '../api-tokens.ts';
import { requireRole } from '../auth/staff.ts';
import { Invalid, NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { SLUG_PATTERN } from './components.ts';
import { nameText } from './config-input.ts';
import { findComponents } from './incident-records.ts';
import { incidentLevel, parseInput } from './input.ts';
import type { Tx } from '../actor.ts';
import { runStaffCommand } from './run-command.ts';

export const alertRule = z.object({
  label: z.string().trim().min(1, 'Name the label, e.g. service.').max(100),
  value: z.string().trim().min(1, 'Give the label value to match, e.g. smtp.').max(200),
  componentId: z.string(),
  level: incidentLevel,
});
export type AlertRule = z.output<typeof alertRule>;

export const createAlertSourceInput = z.object({
  name: nameText('alert source'),
  slug: z.string().trim().toLowerCase().max(60, 'Use at most 60 characters.').regex(SLUG_PATTERN, 'Use lowercase letters, digits and single hyphens, e.g. prometheus.'),
  kind: z.enum(ALERT_SOURCE_KINDS, { error: 'Choose alertmanager, grafana, uptime_kuma or generic.' }),
  rules: z.array(alertRule).max(50, 'At most 50 rules.').default([]),
});
export type CreateAlertSourceInput = z.input<typeof createAlertSourceInput>;

export function createAlertSource(db: Db, authority: Authority, input: CreateAlertSourceInput, now: number): { publicId: string; token: string } {
  requireRole(authority, 'owner');
  const data = parseInput(createAlertSourceInput, input);
  return runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    if (tx.select({ id: s.alertSources.id }).from(s.alertSources).where(eq(s.alertSources.slug, data.slug)).get()) {
      throw new Invalid({ slug: 'Another alert source already uses this name in its address.' });
    }
    findComponents(tx, data.rules.map((r) => r.componentId), 'rules');
    const token = generateApiToken();
    const publicId = newPublicId();
    tx.insert(s.alertSources)
      .values({ publicId, slug: data.slug, name: data.name, kind: data.kind, tokenHash: hashApiToken(token), rules: JSON.stringify(data.rules), createdAt: now, updatedAt: now })
      .run();
    audit({ action: 'alert_source.create', entityType: 'alert_source', entityId: publicId, after: { name: data.name, slug: data.slug, kind: data.kind, rules: data.rules } });
    return { publicId, token };
  });
}

export const alertSourceRulesInput = z.object({
  rules: z.array(alertRule).max(50, 'At most 50 rules.'),
});
export type AlertSourceRulesInput = z.input<typeof alertSourceRulesInput>;

function findAlertSource(tx: Tx, publicId: string) {
  const row = tx.select().from(s.alertSources).where(eq(s.alertSources.publicId, publicId)).get();
  if (!row) throw new NotFound('No such alert source.');
  return row;
}

/** Replaces a source's label → component rules (all at once, as the form and the API send them). */
export function setAlertSourceRules(db: Db, authority: Authority, publicId: string, input: AlertSourceRulesInput, now: number): void {
  requireRole(authority, 'owner');
  const data = parseInput(alertSourceRulesInput, input);
  runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    const row = findAlertSource(tx, publicId);
    findComponents(tx, data.rules.map((r) => r.componentId), 'rules');
    tx.update(s.alertSources).set({ rules: JSON.stringify(data.rules), updatedAt: now }).where(eq(s.alertSources.id, row.id)).run();
    audit({ action: 'alert_source.rules', entityType: 'alert_source', entityId: publicId, before: { rules: JSON.parse(row.rules) }, after: { rules: data.rules } });
  });
}

/** A new token for a source (the old one stops working at once); shown once, only its hash kept. */
export function rotateAlertSourceToken(db: Db, authority: Authority, publicId: string, _input: Record<string, never>, now: number): { token: string } {
  requireRole(authority, 'owner');
  return runStaffCommand(db, authority.actor, now, ({ tx, audit }) => {
    const row = findAlertSource(tx, publicId);
    const token = generateApiToken();
    tx.update(s.alertSources).set({ tokenHash: hashApiToken(token), updatedAt: now }).where(eq(s.alertSources.id, row.id)).run();
    // Never the token: the audit log says that it changed, not what it is.
    audit({ action: 'alert_source.rotate_token', entityType: 'alert_source', entityId: publicId, after: { slug: row.slug } });
    return { token };
  });
}
