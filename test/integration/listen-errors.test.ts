// A port in use or a host that is not this machine's stops the start with one plain line, not a
// stack trace (the server, as npm start runs it, with its own temporary database).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { listenProblem } from '../../src/server/ops/listen.ts';
import { OUT_DIR } from '../support/server.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-listen-'));
// A copy of the run's prepared demo database (test/support/build-once.ts): the server finds it ready
// and goes straight on to listening, instead of preparing one in a child process first.
fs.copyFileSync(inject('demoDatabase'), path.join(dir, 'candor.db'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function serve(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/serve.ts'], {
    env: { ...process.env, CANDOR_DB: path.join(dir, 'candor.db'), CANDOR_OUT_DIR: OUT_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('listening problems', () => {
  it('a port in use: exit 1 with one line naming the port and PORT, no stack trace', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const { code, output } = await serve({ HOST: '127.0.0.1', PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`Candor cannot start: port ${port} on 127.0.0.1 is already in use by another program. Stop it, or set PORT to a free port.`);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('Unhandled');
    } finally {
      taken.close();
    }
  }, 120_000);

  it.each([
    ['EADDRINUSE', /port 4321 on localhost is already in use.*set PORT/],
    ['EACCES', /not allowed to listen on port 4321.*PORT/],
    ['EADDRNOTAVAIL', /HOST=localhost is not an address of this machine/],
    ['ENOTFOUND', /HOST=localhost is not a known host name or address/],
    ['ERR_SOCKET_BAD_PORT', /PORT must be a port number from 0 to 65535/],
  ])('%s reads as one line an operator can act on', (code, expected) => {
    const line = listenProblem(Object.assign(new Error('raw'), { code }), { host: 'localhost', port: 4321, variables: ['HOST', 'PORT'] });
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });
});
