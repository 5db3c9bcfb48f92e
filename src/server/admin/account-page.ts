// What the account page shows: who you are and where your second factor stands.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { siteSettings, users } from '../../../db/schema.ts';
import type { Staff } from '../auth/staff.ts';
import { totpUri } from '../auth/totp.ts';
import { NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';

export interface AccountPage {
  email: string;
  name: string;
  role: Staff['role'];
  totpEnabledAt: number | null;
  /** Set while enrolment waits for a confirming code. */
  pending: { secret: string; uri: string } | null;
  requireTotp: boolean;
  timeZone: string;
}

export function getAccountPage(db: Db, staff: Staff): AccountPage {
  const user = db.select().from(users).where(eq(users.id, staff.userId)).get();
  if (!user) throw new NotFound('Your account no longer exists.');
  const site = loadSite(db);
  const pendingSecret = user.totpEnabledAt === null ? user.totpSecret : null;
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    totpEnabledAt: user.totpEnabledAt,
    pending: pendingSecret ? { secret: pendingSecret, uri: totpUri(pendingSecret, site.name, user.email) } : null,
    requireTotp: db.select({ v: siteSettings.requireTotp }).from(siteSettings).get()?.v ?? false,
    timeZone: site.timeZone,
  };
}
