// What the account page shows: who you are and where your second factor stands.
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { siteSettings, users } from '../../../db/schema.ts';
import type { Staff } from '../auth/staff.ts';
import { createSession } from '../auth/sessions.ts';
import { totpUri } from '../auth/totp.ts';
import { changeOwnPassword, confirmTotp, disableOwnTotp, startTotpEnrolment } from '../commands/account.ts';
import { NotFound } from '../errors.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { loadSite } from '../site.ts';
import type { FormCall } from './handle-form.ts';

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

export const ACCOUNT_NOTICES: Record<string, string> = {
  password: 'Password changed. Every other session of yours has been signed out.',
  'totp-on': 'Two-step sign-in is on. You will need a code from your app at every sign-in.',
  'totp-off': 'Two-step sign-in is off.',
};

/** The account page's forms, one per intent; says where to go next (null: an unknown intent, stay). */
export async function runAccountAction(form: FormCall): Promise<string | null> {
  const { db, staff, now } = form;
  if (form.intent === 'password') {
    await changeOwnPassword(db, staff, form.texts('current', 'password', 'confirm'), now);
    // Every session ended with the old password, this one too: give this browser a new one.
    setSessionCookie(form.astro.cookies, form.astro.request, createSession(db, staff.userId, now));
    return '/admin/account?done=password';
  }
  if (form.intent === 'totp-start') {
    startTotpEnrolment(db, staff, now);
    return '/admin/account#totp';
  }
  if (form.intent === 'totp-confirm') {
    confirmTotp(db, staff, form.texts('code'), now);
    return '/admin/account?done=totp-on';
  }
  if (form.intent === 'totp-disable') {
    await disableOwnTotp(db, staff, form.texts('disablePassword'), now);
    return '/admin/account?done=totp-off';
  }
  return null;
}
