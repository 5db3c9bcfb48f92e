// openDatabase keeps prepared statements by SQL text: a reused one must behave like a new one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-stmt-'));
  db = openDatabase(path.join(dir, 'c.db'), path.resolve('db/migrations'));
  db.$client.exec("create table t (id integer primary key, v text); insert into t (v) values ('a'), ('b')");
});
afterEach(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('statement reuse', () => {
  it('hands out the same statement for the same SQL, back in plain row mode', () => {
    const sql = 'select id, v from t order by id';
    const first = db.$client.prepare(sql);
    expect(first.raw(true).all()).toEqual([[1, 'a'], [2, 'b']]);
    const again = db.$client.prepare(sql);
    expect(again).toBe(first);
    expect(again.all()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    db.$client.prepare(sql).pluck(true);
    expect(db.$client.prepare(sql).get()).toEqual({ id: 1, v: 'a' });
  });

  it('gives a fresh statement while the kept one is mid-iteration', () => {
    const sql = 'select v from t order by id';
    const iterating = db.$client.prepare(sql);
    const seen: unknown[] = [];
    for (const row of iterating.iterate()) {
      seen.push(row, db.$client.prepare(sql).all());
    }
    expect(seen).toEqual([{ v: 'a' }, [{ v: 'a' }, { v: 'b' }], { v: 'b' }, [{ v: 'a' }, { v: 'b' }]]);
  });

  it('keeps drizzle queries right when they share SQL with raw and object reads', () => {
    const rows = () => db.$client.prepare('select v from t where id = ?').get(2);
    db.$client.prepare('select v from t where id = ?').raw(true);
    expect(rows()).toEqual({ v: 'b' });
  });
});
