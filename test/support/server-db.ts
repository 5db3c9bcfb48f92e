// A running test server's database file, opened beside the server: raw rows through
// better-sqlite3 (waiting out the server's writes), and API tokens made with the owner's command.
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../db/client.ts';
import type { Scope } from '../../src/server/api-tokens.ts';
import { createApiToken } from '../../src/server/commands/api-tokens.ts';
import { SYSTEM_OWNER } from '../../src/server/commands/users.ts';

export function withServerDb<T>(databasePath: string, body: (db: Database.Database) => T): T {
  const db = new Database(databasePath);
  db.pragma('busy_timeout = 5000');
  try {
    return body(db);
  } finally {
    db.close();
  }
}

/** A new API token with these scopes, as an owner creates it; the secret and its public id. */
export function createToken(databasePath: string, name: string, scopes: Scope[]): { token: string; publicId: string } {
  const db = openDatabase(databasePath, path.resolve('db/migrations'));
  try {
    const { token, publicId } = createApiToken(db, SYSTEM_OWNER, { name, scopes }, Date.now());
    return { token, publicId };
  } finally {
    db.$client.close();
  }
}
