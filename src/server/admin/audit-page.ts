// The audit log, newest first, a page at a time; before/after shown as the changed fields only.
import { count, desc } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { auditLog } from '../../../db/schema.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { loadSite } from '../site.ts';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: AuditChange[];
}

export interface AuditPage {
  entries: AuditEntry[];
  page: number;
  pages: number;
  timeZone: string;
}

function parse(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

// Instants are stored as epoch milliseconds under names like startedAt, scheduledEnd, at.
const INSTANT_KEY = /(^at$|At$|Start$|End$)/;
const isInstant = (key: string, value: unknown): value is number =>
  INSTANT_KEY.test(key) && typeof value === 'number' && Number.isInteger(value) && value > 0;

/** A value as staff read it: instants (also inside objects and lists) in the site's time zone. */
function showIn(timeZone: string, key: string, value: unknown): string {
  if (value === undefined) return '—';
  if (isInstant(key, value)) return formatInstant(value, timeZone, 'datetime');
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (k, v: unknown) => (isInstant(k, v) ? formatInstant(v, timeZone, 'datetime') : v));
}

/** Field by field when both sides are objects (only what changed), else the values whole. */
export function diffAudit(before: unknown, after: unknown, timeZone = 'UTC'): AuditChange[] {
  const show = (value: unknown, key = '') => showIn(timeZone, key, value);
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]))
      .map((key) => ({ field: key, before: show(b[key], key), after: show(a[key], key) }));
  }
  if (before === undefined && after === undefined) return [];
  return [{ field: '', before: show(before), after: show(after) }];
}

export function getAuditPage(db: Db, requestedPage: number): AuditPage {
  const total = db.select({ n: count() }).from(auditLog).get()?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const { timeZone } = loadSite(db);
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pages);
  const rows = db
    .select()
    .from(auditLog)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .all();
  return {
    entries: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actorLabel,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      changes: diffAudit(parse(r.before), parse(r.after), timeZone),
    })),
    page,
    pages,
    timeZone,
  };
}
