// Issue 12, finding 1: slow clients against the built server. One address holding many slow
// connections is capped so other readers still get `/`; headers that never finish and bodies that
// stop short of their Content-Length are cut off after the configured seconds, not minutes.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';

let server: RunningServer;
let port: number;

beforeAll(async () => {
  server = await startServer({ CANDOR_HEADERS_TIMEOUT_S: '1', CANDOR_REQUEST_TIMEOUT_S: '2', CANDOR_MAX_CONNECTIONS_PER_ADDRESS: '20' });
  port = Number(new URL(server.url).port);
});
afterAll(() => server?.stop());

/** A connection from `source` that sends `text` and stays open; resolves when the server closes it. */
function openSlow(source: string, text: string): { connected: Promise<void>; closed: Promise<string> } {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress: source });
  let received = '';
  socket.on('data', (d) => (received += d));
  socket.on('error', () => undefined);
  return {
    connected: new Promise((resolve) => socket.once('connect', () => (socket.write(text), resolve()))),
    closed: new Promise((resolve) => socket.once('close', () => resolve(received))),
  };
}

const getHome = () =>
  new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', localAddress: '127.0.0.1', agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode!));
    }).once('error', reject);
  });

describe('slow clients (finding 1)', () => {
  it('caps one address at its share: the rest of its connections are closed, other readers get /', async () => {
    const slow = Array.from({ length: 60 }, () => openSlow('127.0.0.2', 'GET / HTTP/1.1\r\nHost: x\r\n'));
    await Promise.all(slow.map((s) => s.connected));
    // 40 of the 60 are over the cap of 20 and closed at once, before any timeout.
    let closedEarly = 0;
    slow.forEach((s) => void s.closed.then(() => closedEarly++));
    await expect.poll(() => closedEarly, { timeout: 10_000 }).toBeGreaterThanOrEqual(40);
    expect(await getHome()).toBe(200);
    // The 20 it kept are cut off by the headers timeout (1 s here), with a 408 or nothing.
    const answers = await Promise.all(slow.map((s) => s.closed));
    expect(answers.every((text) => text === '' || text.startsWith('HTTP/1.1 408'))).toBe(true);
  });

  it('cuts off a body that stops short of its Content-Length after the request timeout', async () => {
    // The sign-in form reads its body (same origin, so no refusal answers first).
    const head = `POST /admin/sign-in HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`;
    const stalled = openSlow('127.0.0.3', `${head}email=a%40b.c&pass`);
    await stalled.connected;
    const started = performance.now();
    const answer = await stalled.closed;
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    // Seconds, not the 300 s of Node's default (the timeout here is 2 s, checked every second).
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(await getHome()).toBe(200);
  });
});
