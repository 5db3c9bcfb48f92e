// Purge on write (CANDOR_PURGE_URL): a public write puts one 'purge' delivery in the outbox, in
// its own transaction, listing the public URLs it may have changed; the delivery worker POSTs it
// (retried with backoff for 24 hours, like every delivery) so a CDN can drop them at once instead
// of waiting out their 30 s. The body is Cloudflare's purge-by-URL shape, {"files": [...]}.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getConfig } from '../../config.ts';
import type { AuditEntry } from '../commands/run-command.ts';
import type { Tx } from '../actor.ts';
import { SITE_WIDE_PATHS } from '../public-paths.ts';
import { publicUrlOf } from '../site.ts';
import { PURGE_KIND } from '../notify/sender-kinds.ts';

export { PURGE_KIND };

/** Cloudflare takes at most 30 URLs per purge call (below Enterprise); longer lists go in several. */
export const MAX_FILES_PER_PURGE = 30;

const componentPaths = (slug: string) => [`/components/${slug}`, `/components/${slug}.rss`, `/components/${slug}/badge.svg`];

/**
 * The public paths a write touched: the site-wide ones, the pages of what it audited, and the pages
 * of every incident, maintenance window and component its page_changes rows name (the triggers see
 * what the audit does not: the components an incident update or an alert's level touched).
 */
export function changedPaths(tx: Tx, audited: readonly Pick<AuditEntry, 'entityType' | 'entityId'>[], scopes: readonly string[] = []): string[] {
  const paths = new Set<string>(SITE_WIDE_PATHS);
  for (const scope of scopes) {
    const [kind, key] = [scope.slice(0, scope.indexOf(':')), encodeURIComponent(scope.slice(scope.indexOf(':') + 1))];
    if (kind === 'incident') paths.add(`/incidents/${key}`).add(`/api/incidents/${key}.json`);
    else if (kind === 'maintenance') paths.add(`/maintenance/${key}`);
    else if (kind === 'component') for (const p of componentPaths(key)) paths.add(p);
  }
  const one = <T>(query: ReturnType<typeof sql>) => tx.get<T | undefined>(query);
  for (const { entityType, entityId } of audited) {
    const id = encodeURIComponent(entityId);
    if (entityType === 'incident') {
      paths.add(`/incidents/${id}`).add(`/api/incidents/${id}.json`);
    } else if (entityType === 'incident_update') {
      const row = one<{ id: string }>(sql`select i.public_id as id from incident_updates u join incidents i on i.id = u.incident_id where u.public_id = ${entityId}`);
      if (row) paths.add(`/incidents/${encodeURIComponent(row.id)}`).add(`/api/incidents/${encodeURIComponent(row.id)}.json`);
    } else if (entityType === 'maintenance') {
      paths.add(`/maintenance/${id}`);
    } else if (entityType === 'component') {
      const row = one<{ slug: string }>(sql`select slug from components where public_id = ${entityId}`);
      if (row) {
        const slug = encodeURIComponent(row.slug);
        for (const p of componentPaths(slug)) paths.add(p);
      }
    }
  }
  return [...paths];
}

/** With CANDOR_PURGE_URL set: the last page_changes row before a write (null: purging is off). */
export function purgeStartsAfter(tx: Tx): number | null {
  if (!getConfig().purge) return null;
  return tx.get<{ id: number | null }>(sql`select max(id) as id from page_changes`).id ?? 0;
}

/**
 * With CANDOR_PURGE_URL set, puts a purge of what a public write changed in the outbox, inside the
 * write's transaction: it commits or rolls back with the write, and survives a crash after it.
 */
export function purgeAfterWrite(tx: Tx, audited: readonly Pick<AuditEntry, 'entityType' | 'entityId'>[], changesFrom: number | null, now: number): void {
  if (!getConfig().purge || changesFrom === null) return;
  const scopes = tx.all<{ scope: string }>(sql`select distinct scope from page_changes where id > ${changesFrom}`).map((r) => r.scope);
  const stored = tx.get<{ url: string } | undefined>(sql`select url from site_settings where id = 1`);
  const siteUrl = publicUrlOf(stored?.url ?? '');
  const files = changedPaths(tx, audited, scopes).map((p) => siteUrl + p);
  for (let start = 0; start < files.length; start += MAX_FILES_PER_PURGE) {
    const payload = JSON.stringify({ files: files.slice(start, start + MAX_FILES_PER_PURGE) });
    tx.run(sql`insert into deliveries (key, kind, payload, status, due_at, next_attempt_at, attempts, created_at)
               values (${`purge-${randomUUID()}`}, ${PURGE_KIND}, ${payload}, 'pending', ${now}, ${now}, 0, ${now})`);
  }
}
