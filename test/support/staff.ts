// Staff accounts for tests: create one straight in a server's database file, and sign in over
// HTTP the way a browser does (same-origin form post), returning the Cookie header to reuse.
import path from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { createUser, SYSTEM_OWNER } from '../../src/server/commands/users.ts';

export interface StaffOptions {
  email: string;
  password: string;
  role: 'owner' | 'editor' | 'viewer';
  name?: string;
}

export async function createStaff(databasePath: string, opts: StaffOptions): Promise<void> {
  const db = openDatabase(databasePath, path.resolve('db/migrations'));
  try {
    await createUser(db, SYSTEM_OWNER, {
      email: opts.email,
      name: opts.name ?? opts.email.split('@')[0]!,
      role: opts.role,
      password: opts.password,
    }, Date.now());
  } finally {
    db.$client.close();
  }
}

/** Posts the sign-in form; returns e.g. `candor_session=…` for a `Cookie` header. Throws on refusal. */
export async function signIn(serverUrl: string, email: string, password: string, totpCode = ''): Promise<string> {
  const response = await fetch(`${serverUrl}/admin/sign-in`, {
    method: 'POST',
    headers: { Origin: serverUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, totp: totpCode }),
    redirect: 'manual',
  });
  const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?candor_session=[^;]+/.test(c));
  if (response.status !== 303 || !cookie) {
    throw new Error(`sign-in as ${email} refused: HTTP ${response.status}`);
  }
  return cookie.split(';')[0]!;
}
