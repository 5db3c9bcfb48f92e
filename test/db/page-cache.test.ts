// Issue 12, finding 8: every connection the server opens keeps a bounded page cache (db/page-cache.ts),
// not better-sqlite3's 16 MB: the render worker's filled it under a crawl of a large database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDamaged, openDatabase } from '../../db/client.ts';
import { PAGE_CACHE_KB } from '../../db/page-cache.ts';
import { openReadOnlyConnection } from '../../db/read-only.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-page-cache-'));
  file = path.join(dir, 'c.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const cacheSize = (sqlite: { pragma: (s: string, o: { simple: true }) => unknown }) => sqlite.pragma('cache_size', { simple: true });

describe('page cache per connection', () => {
  it('is PAGE_CACHE_KB for the read-write, read-only and damaged openings', () => {
    expect(PAGE_CACHE_KB).toBeLessThan(16_000);
    const db = openDatabase(file, path.resolve('db/migrations'));
    expect(cacheSize(db.$client)).toBe(-PAGE_CACHE_KB);
    const reader = openReadOnlyConnection(file);
    expect(cacheSize(reader)).toBe(-PAGE_CACHE_KB);
    const damaged = openDamaged(file);
    expect(cacheSize(damaged.$client)).toBe(-PAGE_CACHE_KB);
    for (const c of [reader, damaged.$client, db.$client]) c.close();
  });
});
