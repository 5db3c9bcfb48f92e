// Site settings: name, public URL, time zone, accent colour, history length, default SLA policy
// and whether every account must use two-step sign-in. Owner only.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { siteSettings, slaPolicies, users } from '../../../db/schema.ts';
import { isValidTimeZone } from '../../domain/time-zone.ts';
import { requireRole } from '../auth/staff.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import type { Authority } from './authority.ts';
import { integerField, nameText, optionalIntegerField, optionalRef } from './config-input.ts';
import { parseInput } from './input.ts';
import { runCommand } from './run-command.ts';

const publicUrl = z
  .string()
  .trim()
  .refine((text) => {
    if (!URL.canParse(text)) return false;
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.search && !url.hash;
  }, 'Enter the address customers use, like https://status.example.com (no query or #).')
  .transform((text) => text.replace(/\/+$/, ''));

const schema = z.object({
  name: nameText('site'),
  url: publicUrl,
  timeZone: z.string().trim().refine(isValidTimeZone, 'Enter an IANA time zone such as Europe/Amsterdam or America/New_York.'),
  accentColor: z.string().trim().toLowerCase().regex(/^#[0-9a-f]{6}$/, 'Enter a colour as #rrggbb, e.g. #2f5fd0.'),
  historyDays: integerField('Enter whole days between 7 and 365.', 7, 365),
  defaultSlaPolicy: optionalRef,
  requireTotp: z.boolean().default(false),
  maintenanceReminderMinutes: optionalIntegerField('Enter whole minutes between 0 (no reminder) and 10080 (a week).', 0, 10_080),
});

export interface SettingsInput {
  name: string;
  url: string;
  timeZone: string;
  accentColor: string;
  historyDays: string;
  /** SLA policy public id, or '' for none. */
  defaultSlaPolicy: string;
  requireTotp: boolean;
  /** Minutes before a maintenance window that subscribers are reminded; absent keeps the current value. */
  maintenanceReminderMinutes?: string;
}

export function updateSiteSettings(db: Db, by: Authority, input: SettingsInput, now: number): void {
  requireRole(by, 'owner');
  const data = parseInput(schema, input);
  runCommand(db, by.actor, now, ({ tx, audit }) => {
    const before = tx.select().from(siteSettings).where(eq(siteSettings.id, 1)).get();
    if (!before) throw new NotFound('The site has no settings yet; start the server once to create them.');
    const policy = data.defaultSlaPolicy === null ? null : tx.select().from(slaPolicies).where(eq(slaPolicies.publicId, data.defaultSlaPolicy)).get();
    if (policy === undefined) throw new Invalid({ defaultSlaPolicy: 'Choose an SLA policy from the list.' });
    if (data.requireTotp && !before.requireTotp && by.actor.userId !== null) {
      const self = tx.select({ totp: users.totpEnabledAt }).from(users).where(eq(users.id, by.actor.userId)).get();
      if (self?.totp == null) throw new Conflict('Turn on two-step sign-in for your own account first (Your account), then require it for everyone.');
    }
    const values = {
      name: data.name,
      url: data.url,
      timeZone: data.timeZone,
      accentColor: data.accentColor,
      historyDays: data.historyDays,
      defaultSlaPolicyId: policy?.id ?? null,
      requireTotp: data.requireTotp,
      maintenanceReminderMinutes: data.maintenanceReminderMinutes ?? before.maintenanceReminderMinutes,
    };
    tx.update(siteSettings).set({ ...values, updatedAt: now }).where(eq(siteSettings.id, 1)).run();
    const old = {
      name: before.name,
      url: before.url,
      timeZone: before.timeZone,
      accentColor: before.accentColor,
      historyDays: before.historyDays,
      defaultSlaPolicyId: before.defaultSlaPolicyId,
      requireTotp: before.requireTotp,
      maintenanceReminderMinutes: before.maintenanceReminderMinutes,
    };
    audit({ action: 'site.update', entityType: 'site', entityId: before.publicId, before: old, after: values });
  });
}
