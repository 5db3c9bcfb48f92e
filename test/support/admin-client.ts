// Speaks to the admin pages like a browser without JavaScript: GET with the session cookie, and
// same-site form posts (Origin = the server) that are not followed, so tests see the 303 or 422.
import Database from 'better-sqlite3';

export interface AdminClient {
  get: (path: string) => Promise<Response>;
  /** A field given a list is sent once per value (checkbox groups). */
  post: (path: string, fields: Record<string, string | string[]>, origin?: string) => Promise<Response>;
}

export function adminClient(serverUrl: string, cookie: string | null): AdminClient {
  const headers = (extra: Record<string, string> = {}) => ({ ...(cookie ? { Cookie: cookie } : {}), ...extra });
  return {
    get: (path) => fetch(serverUrl + path, { headers: headers(), redirect: 'manual' }),
    post: (path, fields, origin = serverUrl) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      }
      return fetch(serverUrl + path, {
        method: 'POST',
        headers: headers({ Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' }),
        body,
        redirect: 'manual',
      });
    },
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') return String.fromCodePoint(code[1]?.toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The message shown beside a field (Field.astro renders it as #f-<name>-error), or null. */
export function fieldError(html: string, name: string): string | null {
  const match = new RegExp(`id="f-${escapeRe(name)}-error"[^>]*>([^<]*)<`).exec(html);
  return match ? decodeEntities(match[1]!) : null;
}

/** What an input or textarea named `name` holds, as the browser would show it. */
export function fieldValue(html: string, name: string): string | null {
  const area = new RegExp(`<textarea[^>]*name="${escapeRe(name)}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area) return decodeEntities(area[1]!);
  const input = new RegExp(`<input[^>]*name="${escapeRe(name)}"[^>]*>`).exec(html);
  if (!input) return null;
  const value = /\svalue="([^"]*)"/.exec(input[0]);
  return value ? decodeEntities(value[1]!) : '';
}

/** Row count of a table in a running server's database. */
export function countRows(databasePath: string, table: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A component's public id by slug, read from the server's database. */
export function componentId(databasePath: string, slug: string): string {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT public_id AS id FROM components WHERE slug = ?').get(slug) as { id: string }).id;
  } finally {
    db.close();
  }
}
