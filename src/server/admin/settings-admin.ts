// The site settings form, filled from the stored row.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { siteSettings, slaPolicies } from '../../../db/schema.ts';
import { NotFound } from '../errors.ts';

export interface SettingsForm {
  values: Record<string, string>;
  requireTotp: boolean;
}

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
    },
    requireTotp: row.requireTotp,
  };
}
