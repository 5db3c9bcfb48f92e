// `npm start` is one process tree that stops as a whole: SIGTERM to the npm process (which does not
// pass it on) or SIGINT to scripts/start.mjs itself ends every Candor process, after the request in
// flight has been answered, and the server logs that it stopped. The tree runs in its own process
// group, so "no Candor process left" is checked by asking the kernel for any process of that group.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  dir: string;
}

const started: Started[] = [];

afterEach(() => {
  for (const s of started.splice(0)) {
    if (groupAlive(s.child.pid!)) process.kill(-s.child.pid!, 'SIGKILL');
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function start(command: string, args: string[]): Promise<Started> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-stop-'));
  // A copy of the run's prepared demo database (test/support/build-once.ts): the server finds it
  // ready, as on any restart, instead of preparing one in a child process (~2 CPU-seconds), which
  // is not what these tests are about.
  fs.copyFileSync(inject('demoDatabase'), path.join(dir, 'candor.db'));
  const port = await freePort();
  const child = spawn(command, args, {
    detached: true, // its own process group: the whole tree can be found, and killed if the test fails
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), CANDOR_DB: path.join(dir, 'candor.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const s = { child, port, output: () => output, dir };
  started.push(s);
  // npm start may build first when the sources are newer than dist/.
  await until('/healthz', () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false), s.output, 150_000);
  return s;
}

/** A sign-in POST whose body is sent in two parts: the server waits for the second (it reads the form). */
function requestInFlight(port: number) {
  const body = 'email=nobody%40example.com&password=not-the-password';
  const socket = net.connect(port, '127.0.0.1');
  let response = '';
  socket.on('data', (d) => (response += d));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    [
      'POST /admin/sign-in HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Content-Type: application/x-www-form-urlencoded',
      `Content-Length: ${body.length}`,
      '',
      body.slice(0, 10),
    ].join('\r\n'),
  );
  return {
    finish: () => socket.write(body.slice(10)),
    response: () => response,
    ended,
  };
}

describe('stopping Candor', () => {
  it.each([
    ['SIGTERM to the npm start process', 'npm', ['start'], 'SIGTERM'],
    ['SIGINT to scripts/start.mjs', process.execPath, ['scripts/start.mjs'], 'SIGINT'],
  ] as const)('%s answers the request in flight, logs that it stopped and leaves no process', async (_name, command, args, signal) => {
    const s = await start(command, [...args]);
    const pending = requestInFlight(s.port);
    // A later request answered means the server has read the pending request's headers.
    expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
    expect(pending.response()).toBe('');

    process.kill(s.child.pid!, signal);
    await until('the stopping line', () => /Candor is stopping/.test(s.output()), s.output);
    // No new connections once it is stopping.
    await expect(fetch(`http://127.0.0.1:${s.port}/healthz`)).rejects.toThrow();
    expect(pending.response()).toBe('');

    pending.finish();
    await pending.ended;
    expect(pending.response()).toMatch(/^HTTP\/1\.1 (200|303|4\d\d) /);
    expect(pending.response()).toMatch(/\r\n\r\n[\s\S]*sign/i);

    await until('the stopped line', () => /"msg":"Candor stopped"/.test(s.output()), s.output);
    await until('every process of the tree to exit', () => !groupAlive(s.child.pid!), s.output, 15_000);
    expect(s.output()).not.toMatch(/Error|EADDRINUSE/);
  }, 200_000);
});
