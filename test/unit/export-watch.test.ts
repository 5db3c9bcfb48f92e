// `npm run export -- --watch`: the data-version probe and the debounced re-export loop (scripts/export/watch.ts).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openVersionProbe, watchAndExport, type VersionProbe } from '../../scripts/export/watch.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('openVersionProbe', () => {
  it('reads the site data version, re-reading it only after another connection commits', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-probe-'));
    dirs.push(dir);
    const file = path.join(dir, 'candor.db');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table site_settings (id integer primary key, data_version integer not null); create table sessions (id integer primary key)');
    writer.prepare('insert into site_settings values (1, 7)').run();
    const probe = openVersionProbe(file);
    try {
      expect(probe.read()).toBe(7);
      writer.prepare('insert into sessions values (1)').run();
      expect(probe.read()).toBe(7);
      writer.prepare('update site_settings set data_version = 8 where id = 1').run();
      expect(probe.read()).toBe(8);
      expect(probe.read()).toBe(8);
    } finally {
      probe.close();
      writer.close();
    }
  });

  it('says so when the database does not exist', () => {
    expect(() => openVersionProbe('/nonexistent/candor.db')).toThrow(/no database/);
  });
});

describe('watchAndExport', () => {
  function fakeProbe(): VersionProbe & { version: number } {
    const probe = { version: 1, read: () => probe.version, close: () => {} };
    return probe;
  }

  // The loop's clock and timers are vitest's fake ones: the test moves time on, so a busy machine
  // cannot stretch a 10 ms step past the debounce and change the outcome.
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  it('exports once after a burst of changes, once it has been quiet, and not without a change', async () => {
    const probe = fakeProbe();
    const exported: number[] = [];
    const controller = new AbortController();
    const loop = watchAndExport({ probe, runExport: async (v) => void exported.push(v), log: () => {}, pollMs: 10, debounceMs: 150, signal: controller.signal });
    await wait(120);
    expect(exported).toEqual([]);
    for (let v = 2; v <= 5; v++) {
      probe.version = v;
      await wait(10);
    }
    await wait(500);
    expect(exported).toEqual([5]);
    probe.version = 6;
    await wait(500);
    expect(exported).toEqual([5, 6]);
    controller.abort();
    await loop;
  });

  it('exports during a long run of changes at the latest after maxDelayMs', async () => {
    const probe = fakeProbe();
    const exported: number[] = [];
    const controller = new AbortController();
    const loop = watchAndExport({ probe, runExport: async (v) => void exported.push(v), log: () => {}, pollMs: 10, debounceMs: 100, maxDelayMs: 150, signal: controller.signal });
    const until = Date.now() + 400;
    while (Date.now() < until) {
      probe.version++;
      await wait(15);
    }
    expect(exported.length).toBeGreaterThanOrEqual(1);
    controller.abort();
    await loop;
  });

  it('logs a failed export and tries again later', async () => {
    const probe = fakeProbe();
    const lines: string[] = [];
    let attempts = 0;
    const controller = new AbortController();
    const loop = watchAndExport({
      probe,
      runExport: async () => {
        attempts++;
        if (attempts === 1) throw new Error('disk full');
      },
      log: (line) => lines.push(line),
      pollMs: 10,
      debounceMs: 20,
      retryMs: 100,
      signal: controller.signal,
    });
    probe.version = 2;
    await wait(80);
    expect(attempts).toBe(1);
    expect(lines).toEqual(['export after data version 2 failed: disk full; trying again in 0 s']);
    await wait(150);
    expect(attempts).toBe(2);
    await wait(100);
    expect(attempts).toBe(2);
    controller.abort();
    await loop;
  });
});
