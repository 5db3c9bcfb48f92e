// Staff sessions: a 256-bit random token in a cookie, only its SHA-256 stored. A session ends
// after 12 h without use or 7 days after sign-in, whichever comes first, and at sign-out.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { sessions, siteSettings, users } from '../../../db/schema.ts';
import type { Tx } from '../actor.ts';
import type { Staff } from './staff.ts';

export const IDLE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
/** lastSeenAt is refreshed at most this often: a write per request would be wasteful. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/**
 * Over HTTPS the cookie gets the `__Host-` prefix, which browsers only accept with Secure,
 * Path=/ and no Domain — so no subdomain or plain-HTTP page can plant or overwrite it.
 */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-candor_session' : 'candor_session';
}

export interface SessionCookieOptions {
  httpOnly: true;
  sameSite: 'strict';
  path: '/';
  secure: boolean;
  maxAge: number;
}

export function sessionCookieOptions(https: boolean): SessionCookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: https, maxAge: ABSOLUTE_TIMEOUT_MS / 1000 };
}

/** HTTPS as the browser sees it: the request URL, or a trusted proxy's X-Forwarded-Proto. */
export function isHttpsRequest(request: Request, trustProxy: boolean): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session and returns its token (the only copy; give it to the browser). */
export function createSession(db: Db, userId: number, now: number): string {
  const token = randomBytes(32).toString('base64url');
  db.insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt: now + ABSOLUTE_TIMEOUT_MS })
    .run();
  return token;
}

export interface ResolvedSession {
  staff: Staff;
  /** The owner requires a second factor and this account has none yet: only enrolment is open. */
  mustEnrolTotp: boolean;
}

/** The signed-in staff member for a token, or null when unknown, expired, revoked or disabled. */
export function resolveSession(db: Db, token: string | undefined, now: number): ResolvedSession | null {
  if (!token || token.length > 100) return null;
  const row = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, now - IDLE_TIMEOUT_MS),
        isNull(users.disabledAt),
      ),
    )
    .get();
  if (!row) return null;
  if (now - row.session.lastSeenAt >= TOUCH_INTERVAL_MS) {
    db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id)).run();
  }
  const { user } = row;
  const requireTotp = db.select({ v: siteSettings.requireTotp }).from(siteSettings).get()?.v ?? false;
  return {
    staff: {
      userId: user.id,
      publicId: user.publicId,
      email: user.email,
      name: user.name,
      role: user.role,
      actor: { userId: user.id, tokenId: null, label: user.email },
    },
    mustEnrolTotp: requireTotp && user.totpEnabledAt === null,
  };
}

export function revokeSession(db: Db, token: string, now: number): void {
  db.update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)))
    .run();
}

/** Ends every session of a user, except (optionally) the one holding `keepToken`. */
export function revokeUserSessions(db: Db | Tx, userId: number, now: number, keepToken?: string): void {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (keepToken) conditions.push(ne(sessions.tokenHash, hashToken(keepToken)));
  db.update(sessions).set({ revokedAt: now }).where(and(...conditions)).run();
}
