// Every state change runs through here: one transaction that applies the change, writes the
// audit log and bumps the data version (which caches key on), so a failed write leaves nothing.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { currentObserver } from '../ops/observer.ts';
import { purgeAfterWrite, purgeStartsAfter } from '../ops/purge.ts';
import { guardWrite } from '../storage-faults.ts';
import type { Actor, Tx } from '../actor.ts';

/** Rows of page_changes kept: far more than the writes of the seconds between two cache polls. */
export const PAGE_CHANGES_KEPT = 5000;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface CommandContext {
  tx: Tx;
  actor: Actor;
  now: number;
  audit: (entry: AuditEntry) => void;
  /**
   * For a command run with `public: false` whose public effect depends on what it finds (an alert
   * that sets or restores a component's level): marks this write public after all, so the site's
   * last-change time moves and the CDN purge is queued, decided from what the body did.
   */
  markPublic: () => void;
}

export interface CommandOptions {
  /**
   * False for changes the public site never shows (staff accounts, API tokens): the data version
   * still moves, but the site's last-change time does not, so public Last-Modified and
   * page.updated_at do not reveal when staff manage accounts. The body can still mark the write
   * public (CommandContext.markPublic) when what it did turns out to show on the site.
   */
  public?: boolean;
}

/**
 * Storage faults (the file deleted or replaced, locked by another process, full, read-only) come out
 * as Unavailable: nothing was written, and the caller answers 503/507 with what to do.
 */
export function runCommand<T>(db: Db, actor: Actor, now: number, body: (ctx: CommandContext) => T, options: CommandOptions = {}): T {
  const publicByDefault = options.public ?? true;
  const observer = currentObserver();
  if (!observer) return guardWrite(db, () => transact(db, actor, now, body, publicByDefault, () => undefined));
  // The server reports each write (one log line, metrics): actions and timing, never the content.
  const actions: string[] = [];
  const entities: string[] = [];
  const started = performance.now();
  const actorKind = actor.tokenId !== null ? 'token' : actor.userId !== null ? 'user' : 'system';
  try {
    const result = guardWrite(db, () =>
      transact(db, actor, now, body, publicByDefault, (entry) => {
        actions.push(entry.action);
        entities.push(`${entry.entityType}:${entry.entityId}`);
      }),
    );
    observer.write({ actions, entities, actor: actorKind, ok: true, ms: performance.now() - started });
    return result;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    observer.write({ actions: [], entities: [], actor: actorKind, ok: false, error: name, ms: performance.now() - started });
    throw error;
  }
}

function transact<T>(db: Db, actor: Actor, now: number, body: (ctx: CommandContext) => T, publicByDefault: boolean, audited: (entry: AuditEntry) => void): T {
  // IMMEDIATE: take the write lock first, where the busy timeout applies, rather than failing at
  // the first write after reads.
  return db.transaction((tx) => {
    const touched: AuditEntry[] = [];
    const audit = (entry: AuditEntry) => {
      audited(entry);
      touched.push(entry);
      tx.insert(s.auditLog)
        .values({
          at: now,
          actorUserId: actor.userId,
          actorTokenId: actor.tokenId,
          actorLabel: actor.label,
          action: entry.action,
          entityType: entry.entityType,
          entityId: entry.entityId,
          before: entry.before === undefined ? null : JSON.stringify(entry.before),
          after: entry.after === undefined ? null : JSON.stringify(entry.after),
        })
        .run();
    };
    // Where this write's page_changes rows will start (purge-on-write reads what it touched).
    const changesFrom = purgeStartsAfter(tx);
    let markedPublic = false;
    const result = body({ tx, actor, now, audit, markPublic: () => void (markedPublic = true) });
    // Decided after the body ran: a command may only learn there whether the site shows its change.
    const touchesPublicSite = publicByDefault || markedPublic;
    tx.update(s.siteSettings)
      .set(touchesPublicSite ? { dataVersion: sql`${s.siteSettings.dataVersion} + 1`, updatedAt: now } : { dataVersion: sql`${s.siteSettings.dataVersion} + 1` })
      .where(eq(s.siteSettings.id, 1))
      .run();
    // The response cache reads page_changes since the version it last saw; it never needs more
    // than a few seconds of writes, and a gap makes it re-render everything (change-feed.ts).
    tx.run(sql`delete from ${s.pageChanges} where ${s.pageChanges.id} <= (select max(${s.pageChanges.id}) from ${s.pageChanges}) - ${PAGE_CHANGES_KEPT}`);
    if (touchesPublicSite) purgeAfterWrite(tx, touched, changesFrom, now);
    return result;
  }, { behavior: 'immediate' });
}

/** runCommand for staff-only changes (accounts, sessions' owners, API tokens): see CommandOptions. */
export function runStaffCommand<T>(db: Db, actor: Actor, now: number, body: (ctx: CommandContext) => T): T {
  return runCommand(db, actor, now, body, { public: false });
}
