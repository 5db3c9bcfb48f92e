// The site settings form, filled from the stored row.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { siteSettings, slaPolicies } from '../../../db/schema.ts';
import { getConfig } from '../../config.ts';
import { NotFound } from '../errors.ts';
import { policyOptions, type Option } from './components-admin.ts';

export interface SettingsForm {
  /** The form's fields as stored; the requireTotp box is 'on' or ''. */
  values: Record<string, string>;
  requireTotp: boolean;
  policies: Option[];
  /** The hint under the public address: it says so when CANDOR_PUBLIC_URL overrides the field. */
  urlHint: string;
}

const URL_HINT = 'Where customers reach this page, e.g. https://status.example.com. Used in feeds and the API.';

export function publicUrlHint(fromEnvironment = getConfig().publicUrl): string {
  if (fromEnvironment === null) return URL_HINT;
  return `The server sets CANDOR_PUBLIC_URL=${fromEnvironment}, which wins over this field: feeds, the API and links use it. This value applies only if the variable is removed.`;
}

export const SETTINGS_FIELDS = ['name', 'url', 'timeZone', 'accentColor', 'historyDays', 'defaultSlaPolicy', 'maintenanceReminderMinutes'] as const;

export function getSettingsForm(db: Db): SettingsForm {
  const row = db.select().from(siteSettings).where(eq(siteSettings.id, 1)).get();
  if (!row) throw new NotFound('The site has no settings yet.');
  const policy = row.defaultSlaPolicyId === null ? null : db.select().from(slaPolicies).where(eq(slaPolicies.id, row.defaultSlaPolicyId)).get();
  return {
    values: {
      name: row.name,
      url: row.url,
      timeZone: row.timeZone,
      accentColor: row.accentColor,
      historyDays: String(row.historyDays),
      defaultSlaPolicy: policy?.publicId ?? '',
      requireTotp: row.requireTotp ? 'on' : '',
      maintenanceReminderMinutes: String(row.maintenanceReminderMinutes),
    },
    requireTotp: row.requireTotp,
    policies: policyOptions(db, 'None'),
    urlHint: publicUrlHint(),
  };
}
