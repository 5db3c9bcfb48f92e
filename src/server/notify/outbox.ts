// The outbox as the delivery worker sees it: claim what is due, record each attempt. Plain SQL on
// the better-sqlite3 handle, so the worker runs in the server process without loading drizzle's
// module graph a second time (see scripts/serve.ts).
import type Database from 'better-sqlite3';
import type { NotificationContent } from './content.ts';
import type { DeliveryWriteFlag } from '../delivery-write-flag.ts';

export interface SubscriberRecord {
  publicId: string;
  channel: string;
  email: string | null;
  url: string | null;
  secret: string | null;
  manageToken: string;
}

/** One message to send, with everything its sender needs. */
export interface DeliveryJob {
  id: number;
  key: string;
  kind: string;
  attempts: number;
  dueAt: number;
  createdAt: number;
  /** Kinds that carry their own content (confirmation mails, purges). */
  payload: unknown;
  /** Subscriber notifications: the frozen content and the notification's public id. */
  content: NotificationContent | null;
  notificationId: string | null;
  subscriber: SubscriberRecord | null;
}

interface JobRow {
  id: number;
  key: string;
  kind: string;
  attempts: number;
  due_at: number;
  created_at: number;
  payload: string | null;
  content: string | null;
  notification_public_id: string | null;
  sub_public_id: string | null;
  channel: string | null;
  email: string | null;
  url: string | null;
  secret: string | null;
  manage_token: string | null;
}

export class OutboxStore {
  readonly #claim: Database.Statement;
  readonly #load: Database.Statement;
  readonly #delivered: Database.Statement;
  readonly #retry: Database.Statement;
  readonly #failed: Database.Statement;
  readonly #attempt: Database.Statement;
  readonly #disable: Database.Statement;
  readonly #nextDue: Database.Statement;
  readonly #release: Database.Statement;
  readonly #releaseAll: Database.Statement;
  readonly #sqlite: Database.Database;

  /**
   * Runs a write. With a flag (the delivery process's: see delivery-write-flag.ts), in a transaction
   * that takes the write lock first (BEGIN IMMEDIATE) and raises the flag only then, lowered after
   * the commit: while it waits for another program's lock, the flag stays down.
   */
  readonly #writing: <T>(write: () => T) => T;

  constructor(sqlite: Database.Database, flag?: DeliveryWriteFlag) {
    this.#sqlite = sqlite;
    this.#writing = flag
      ? (write) => {
          let raised = false;
          try {
            return sqlite
              .transaction(() => {
                flag.raise();
                raised = true;
                return write();
              })
              .immediate();
          } finally {
            if (raised) flag.lower();
          }
        }
      : (write) => write();
    // A claim is a lease: the row stays pending, and if this process dies before recording the
    // outcome, the lease runs out and another run sends it again (with the same idempotency key).
    this.#claim = sqlite.prepare(`
      update deliveries set lease_until = @leaseUntil
      where id in (
        select id from deliveries
        where status = 'pending' and next_attempt_at <= @now and (lease_until is null or lease_until <= @now)
          and kind in (select value from json_each(@kinds))
        order by next_attempt_at, id limit @limit
      )
      returning id`);
    this.#load = sqlite.prepare(`
      select d.id, d.key, d.kind, d.attempts, d.due_at, d.created_at, d.payload, n.content, n.public_id as notification_public_id,
             s.public_id as sub_public_id, s.channel, s.email, s.url, s.secret, s.manage_token
      from deliveries d
      left join notifications n on n.id = d.notification_id
      left join subscribers s on s.id = d.subscriber_id
      where d.id in (select value from json_each(?))
      order by d.next_attempt_at, d.id`);
    // Kinds with secrets in their payload (a confirmation link) drop it once it is delivered.
    this.#delivered = sqlite.prepare(`
      update deliveries set status = 'delivered', delivered_at = @at, attempts = attempts + 1, lease_until = null, last_error = null,
        payload = case when kind = 'confirmation' then null else payload end
      where id = @id and status = 'pending'`);
    this.#retry = sqlite.prepare(
      `update deliveries set attempts = attempts + 1, next_attempt_at = @next, lease_until = null, last_error = @error where id = @id and status = 'pending'`,
    );
    this.#failed = sqlite.prepare(
      `update deliveries set status = 'failed', attempts = attempts + 1, lease_until = null, last_error = @error where id = @id and status = 'pending'`,
    );
    this.#attempt = sqlite.prepare(
      `insert into delivery_attempts (delivery_id, at, ok, result, duration_ms) values (@id, @at, @ok, @result, @durationMs)`,
    );
    this.#disable = sqlite.prepare(`
      update subscribers set disabled_at = @at, disabled_reason = @reason, updated_at = @at
      where disabled_at is null and channel <> 'email' and id = (select subscriber_id from deliveries where id = @id)`);
    this.#release = sqlite.prepare(`update deliveries set lease_until = null where id in (select value from json_each(?)) and status = 'pending'`);
    this.#releaseAll = sqlite.prepare(`update deliveries set lease_until = null where status = 'pending' and lease_until is not null`);
    this.#nextDue = sqlite.prepare(
      `select min(max(next_attempt_at, coalesce(lease_until, 0))) as at from deliveries where status = 'pending' and kind in (select value from json_each(?))`,
    ).pluck();
  }

  /** Leases up to `limit` due deliveries of the given kinds until `leaseUntil`. */
  claim(kinds: readonly string[], now: number, leaseUntil: number, limit: number): DeliveryJob[] {
    const claimed = this.#writing(() => this.#claim.all({ kinds: JSON.stringify(kinds), now, leaseUntil, limit }) as { id: number }[]);
    const ids = claimed.map((r) => r.id);
    if (ids.length === 0) return [];
    // A fan-out claims many rows of one notification: parse its content once.
    const contents = new Map<string, NotificationContent>();
    return (this.#load.all(JSON.stringify(ids)) as JobRow[]).map((row) => toJob(row, contents));
  }

  /** The receiver accepted it: done, with the attempt recorded, in one transaction. */
  recordDelivered(id: number, at: number, result: string, durationMs: number): void {
    this.#writing(() =>
      this.#sqlite.transaction(() => {
        this.#delivered.run({ id, at });
        this.#attempt.run({ id, at, ok: 1, result, durationMs });
      })(),
    );
  }

  /** A failed try: retried at `next`, or (null) given up for good — webhooks and chat are then switched off. */
  recordFailure(id: number, at: number, error: string, durationMs: number, next: number | null): void {
    this.#writing(() =>
      this.#sqlite.transaction(() => {
        if (next === null) {
          this.#failed.run({ id, error });
          this.#disable.run({ id, at, reason: `Deliveries failed for 24 hours; the last error: ${error}` });
        } else {
          this.#retry.run({ id, next, error });
        }
        this.#attempt.run({ id, at, ok: 0, result: error, durationMs });
      })(),
    );
  }

  /** Gives claimed rows back unsent. */
  release(ids: readonly number[]): void {
    this.#writing(() => this.#release.run(JSON.stringify(ids)));
  }

  /**
   * At start-up: leases held by a process that died are void. Only one process delivers from a
   * database (the server), so whatever it held before it started again was never finished.
   */
  releaseAll(): number {
    return this.#writing(() => this.#releaseAll.run().changes);
  }

  /** When the next pending delivery of these kinds falls due (null when none is pending). */
  nextDueAt(kinds: readonly string[]): number | null {
    return (this.#nextDue.get(JSON.stringify(kinds)) as number | null) ?? null;
  }
}

function toJob(r: JobRow, contents: Map<string, NotificationContent>): DeliveryJob {
  let content: NotificationContent | null = null;
  if (r.content !== null && r.notification_public_id !== null) {
    content = contents.get(r.notification_public_id) ?? (JSON.parse(r.content) as NotificationContent);
    contents.set(r.notification_public_id, content);
  }
  return {
    id: r.id,
    key: r.key,
    kind: r.kind,
    attempts: r.attempts,
    dueAt: r.due_at,
    createdAt: r.created_at,
    payload: r.payload === null ? null : JSON.parse(r.payload),
    content,
    notificationId: r.notification_public_id,
    subscriber:
      r.sub_public_id === null
        ? null
        : { publicId: r.sub_public_id, channel: r.channel!, email: r.email, url: r.url, secret: r.secret, manageToken: r.manage_token! },
  };
}

/**
 * Whether a delivery of these kinds is due now: one indexed look, cheap enough for the server's main
 * thread to ask every half second on its read-only connection before it starts the delivery process.
 * Prepared on the first call (the connection may not be readable yet when this is made).
 */
export function dueCheck(sqlite: Database.Database, kinds: readonly string[], clock: () => number = Date.now): () => boolean {
  const json = JSON.stringify(kinds);
  let query: Database.Statement<[number, string], number> | null = null;
  return () => {
    query ??= sqlite
      .prepare<[number, string], number>(
        `select exists(select 1 from deliveries where status = 'pending' and next_attempt_at <= ? and kind in (select value from json_each(?)))`,
      )
      .pluck();
    return query.get(clock(), json) === 1;
  };
}
