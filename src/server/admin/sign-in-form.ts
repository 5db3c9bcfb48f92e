// The sign-in form: a new session at every sign-in, and whatever session this browser held before ends.
import { revokeSession } from '../auth/sessions.ts';
import { signIn } from '../auth/sign-in.ts';
import { readSessionToken, requestAddress, safeNextPath, setSessionCookie } from '../http/session-cookie.ts';
import type { FormCall } from './handle-form.ts';

export async function runSignIn(form: FormCall): Promise<void> {
  const { db, now, astro } = form;
  const input = { email: form.text('email'), password: form.text('password'), totpCode: form.text('totp'), address: requestAddress(astro.request, astro.clientAddress) };
  const token = await signIn(db, input, now);
  const previous = readSessionToken(astro.cookies, astro.request);
  if (previous) revokeSession(db, previous, now);
  setSessionCookie(astro.cookies, astro.request, token);
}

/** Where to go after signing in: the `next` page asked for, if it is one of ours. */
export function nextPage(url: URL): string {
  return safeNextPath(url.searchParams.get('next'));
}
