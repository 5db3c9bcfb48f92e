// RenderPool with real worker threads over a tiny handler module (instead of the Astro build):
// bytes come back whole, a URL queued twice is rendered once, and a worker that dies fails only
// the render it held and is replaced.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderPool } from '../../src/server/http/render-pool.ts';

let dir: string;
let entry: string;
let pool: RenderPool;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-pool-'));
  entry = path.join(dir, 'entry.mjs');
  // Counts renders per URL; /slow holds the worker until /release is asked for... by time instead:
  // it busy-waits 200 ms so that other URLs queue behind it. /die ends the worker thread.
  fs.writeFileSync(
    entry,
    `const counts = new Map();
let seq = 0;
export function handler(req, res) {
  if (req.url === '/die') process.exit(1);
  if (req.url === '/slow') { const until = Date.now() + 200; while (Date.now() < until); }
  if (req.url === '/public') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=30' });
    return res.end('<p>all systems operational</p>'.repeat(1000));
  }
  counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
  res.writeHead(200, { 'content-type': 'text/plain', 'x-count': String(counts.get(req.url)), 'x-seq': String(++seq) });
  res.end('page ' + req.url + ' ' + 'x'.repeat(100000));
}
`,
  );
  pool = new RenderPool({ entry });
  await pool.ready();
});
afterAll(async () => {
  await pool?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RenderPool', () => {
  it('renders on a worker thread and returns the whole response', async () => {
    const rendered = await pool.render('/a');
    expect(rendered.status).toBe(200);
    expect(rendered.headers['content-type']).toBe('text/plain');
    expect(rendered.body.toString()).toBe('page /a ' + 'x'.repeat(100000));
  });

  it('makes the brotli variant of a shareable page on the worker, and none for a private one', async () => {
    const shared = await pool.render('/public');
    expect(shared.br).toBeInstanceOf(Buffer);
    expect(shared.br!.length).toBeLessThan(shared.body.length / 10);
    expect(zlib.brotliDecompressSync(shared.br!).equals(shared.body)).toBe(true);
    expect((await pool.render('/a')).br).toBeUndefined(); // no Cache-Control: public
  });

  it('renders a URL once however often it is asked for while it waits in the queue', async () => {
    const slow = pool.render('/slow'); // occupies the worker
    const asks = [pool.render('/b'), pool.render('/b'), pool.render('/b')];
    await slow;
    const answers = await Promise.all(asks);
    expect(new Set(answers.map((r) => r.headers['x-count']))).toEqual(new Set(['1']));
    expect((await pool.render('/b')).headers['x-count']).toBe('2'); // asked again after: rendered again
  });

  it('renders a URL a reader waits for before the ones nobody waits for yet', async () => {
    const slow = pool.render('/slow'); // occupies the worker
    const behind = [pool.render('/refresh-1'), pool.render('/refresh-2')];
    const waited = [pool.render('/waited-1', { urgent: true }), pool.render('/waited-2', { urgent: true })];
    await slow;
    const seq = async (rendered: Promise<{ headers: Record<string, string | string[]> }>) => Number((await rendered).headers['x-seq']);
    const [r1, r2] = await Promise.all(behind.map(seq));
    const [w1, w2] = await Promise.all(waited.map(seq));
    // The waited-for ones first, in the order asked; then the others, in theirs.
    expect([w1, w2, r1, r2]).toEqual([w1!, w1! + 1, w1! + 2, w1! + 3]);
  });

  it('moves a queued render ahead once a reader waits for it, and still renders it once', async () => {
    const slow = pool.render('/slow');
    const other = pool.render('/later');
    const first = pool.render('/joined');
    const joined = pool.render('/joined', { urgent: true });
    await slow;
    const [o, f, j] = await Promise.all([other, first, joined]);
    expect(Number(f.headers['x-seq'])).toBeLessThan(Number(o.headers['x-seq']));
    expect(j.headers['x-seq']).toBe(f.headers['x-seq']); // the same render
    expect(f.headers['x-count']).toBe('1');
  });

  it('fails the render a dying worker held, and renders on with a new one', async () => {
    await expect(pool.render('/die')).rejects.toThrow(/render worker stopped/);
    const after = await pool.render('/c');
    expect(after.body.toString()).toContain('page /c');
    expect(after.headers['x-count']).toBe('1'); // a fresh worker: its counts start again
  });
});
