// Writes rows straight into a running test server's SQLite file (WAL lets both sides use it), for
// data the demo lacks: hostile text, cancelled windows, a change that must alter an ETag.
// Bumps site_settings like runCommand does, so the server sees a new data version.
import Database from 'better-sqlite3';

let counter = 0;
/** 12 lowercase base-36 characters, unique within a test run. */
export function testPublicId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter.toString(36).padStart(12 - prefix.length, '0')}`;
}

function withDb<T>(databasePath: string, body: (db: Database.Database) => T): T {
  const db = new Database(databasePath);
  db.pragma('busy_timeout = 5000');
  try {
    return db.transaction(() => {
      const result = body(db);
      db.prepare('update site_settings set data_version = data_version + 1, updated_at = max(updated_at, ?) where id = 1').run(Date.now());
      return result;
    })();
  } finally {
    db.close();
  }
}

export interface TestUpdate {
  status: string;
  kind?: 'update' | 'apology' | 'correction';
  body: string;
  at: number;
}

export function insertIncident(
  databasePath: string,
  spec: { title: string; impact?: string; status: string; startedAt: number; resolvedAt?: number | null; componentSlug?: string; updates: TestUpdate[] },
): string {
  return withDb(databasePath, (db) => {
    const publicId = testPublicId('inc');
    const last = Math.max(...spec.updates.map((u) => u.at));
    const { lastInsertRowid: id } = db
      .prepare(
        `insert into incidents (public_id, title, impact, status, started_at, resolved_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(publicId, spec.title, spec.impact ?? 'minor', spec.status, spec.startedAt, spec.resolvedAt ?? null, spec.startedAt, last);
    for (const u of spec.updates) {
      db.prepare(
        `insert into incident_updates (public_id, incident_id, kind, status, body_md, body_html, display_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(testPublicId('upd'), id, u.kind ?? 'update', u.status, u.body, '<p>(test)</p>', u.at, u.at, u.at);
    }
    if (spec.componentSlug) {
      const component = db.prepare('select id from components where slug = ?').get(spec.componentSlug) as { id: number };
      db.prepare(
        `insert into impact_periods (component_id, incident_id, level, started_at, ended_at, created_at, updated_at)
         values (?, ?, 'partial_outage', ?, ?, ?, ?)`,
      ).run(component.id, id, spec.startedAt, spec.resolvedAt ?? null, spec.startedAt, last);
    }
    return publicId;
  });
}

export function insertMaintenance(
  databasePath: string,
  spec: { title: string; status: string; start: number; end: number; componentSlug: string; updates: { status: string; body: string; at: number }[] },
): string {
  return withDb(databasePath, (db) => {
    const publicId = testPublicId('mnt');
    const first = Math.min(...spec.updates.map((u) => u.at));
    const last = Math.max(...spec.updates.map((u) => u.at));
    const { lastInsertRowid: id } = db
      .prepare(
        `insert into maintenances (public_id, title, status, scheduled_start, scheduled_end, announced_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(publicId, spec.title, spec.status, spec.start, spec.end, first, first, last);
    const component = db.prepare('select id from components where slug = ?').get(spec.componentSlug) as { id: number };
    db.prepare('insert into maintenance_components (maintenance_id, component_id) values (?, ?)').run(id, component.id);
    for (const u of spec.updates) {
      db.prepare(
        `insert into maintenance_updates (public_id, maintenance_id, status, body_md, body_html, display_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(testPublicId('mup'), id, u.status, u.body, '<p>(test)</p>', u.at, u.at, u.at);
    }
    return publicId;
  });
}

/** Renames an incident as an edit would, moving its updatedAt forward. */
export function renameIncident(databasePath: string, publicId: string, title: string): void {
  withDb(databasePath, (db) => {
    db.prepare('update incidents set title = ?, updated_at = ? where public_id = ?').run(title, Date.now(), publicId);
  });
}
