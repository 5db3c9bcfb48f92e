// The deployment files, as far as this machine can run them (no container engine here):
//  - the image's build steps (scripts/image-build.sh, which the Dockerfile runs) in a copy of the
//    repository, then the image's CMD and HEALTHCHECK on the result, with the image's environment;
//  - the systemd unit through `systemd-analyze verify` and its offline security score;
//  - compose.yaml through `docker-compose config` when Debian's docker-compose is installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/free-port.ts';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

const root = path.resolve('.');
const inCi = process.env.CI === 'true';
const temporary: string[] = [];
afterAll(() => temporary.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
/** The JSON-array form of an instruction of the final stage, e.g. CMD ["node", …]. */
function execForm(instruction: string): string[] {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const match = new RegExp(`^${instruction}\\b.*?(\\[.*\\])\\s*$`, 'm').exec(finalStage);
  if (!match) throw new Error(`no ${instruction} in the Dockerfile's final stage`);
  return JSON.parse(match[1]!) as string[];
}

describe('the container image', () => {
  it('is multi-stage on Node 24, runs as node with /data as a volume, production, health-checked', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(image).toMatch(/^node:24[.-]/);
    expect([...dockerfile.matchAll(/^RUN sh scripts\/image-build\.sh (\w+)$/gm)].map((m) => m[1])).toEqual(['dependencies', 'site']);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^VOLUME \/data$/m);
    expect(finalStage).toMatch(/NODE_ENV=production/);
    expect(finalStage).toMatch(/CANDOR_DB=\/data\/candor\.db/);
    expect(execForm('HEALTHCHECK').slice(-2)).toEqual(['node', 'scripts/healthcheck.mjs']);
    // The server runs as PID 1 with its heap settings, so it never re-executes itself there.
    expect(execForm('CMD')).toEqual(['node', ...SERVER_NODE_FLAGS, 'scripts/serve.ts']);
    // glibc reads its malloc settings at start: they must be in the image's environment.
    for (const [name, value] of Object.entries(SERVER_ENV)) expect(finalStage).toContain(`${name}=${value}`);
  });

  // About a minute and a half on a busy 2-core machine (a clean production install and a build):
  // always in CI, locally with CANDOR_TEST_IMAGE=1.
  const buildImage = inCi || process.env.CANDOR_TEST_IMAGE === '1';
  if (!buildImage) console.warn("Skipping the image build test locally (about 90 s): CANDOR_TEST_IMAGE=1 runs it; CI always does.");
  it.skipIf(!buildImage)("builds with the image's steps into a tree that serves, passes the health check and stops on SIGTERM", async () => {
    const app = tempDir('candor-image-');
    const skip = new Set(['node_modules', 'dist', 'data', '.astro', 'test-artifacts', '.git']);
    fs.cpSync(root, app, { recursive: true, filter: (source) => !skip.has(path.relative(root, source).split(path.sep)[0]!) });
    const build = spawnSync('sh', ['scripts/image-build.sh'], { cwd: app, encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(fs.existsSync(path.join(app, 'dist/server/entry.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'node_modules/astro'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'node_modules/vitest')), 'development dependencies stay out of the image').toBe(false);

    // The image's CMD and environment, with loopback and a free port for the test.
    const port = await freePort();
    const data = tempDir('candor-image-data-');
    const [command, ...args] = execForm('CMD');
    expect(command).toBe('node');
    const { CANDOR_OUT_DIR: _suiteBuild, ...inherited } = process.env;
    const env = { ...inherited, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), CANDOR_DB: path.join(data, 'candor.db') };
    const server = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    const healthcheck = () => spawnSync(process.execPath, execForm('HEALTHCHECK').slice(-1), { cwd: app, env: { ...process.env, PORT: String(port) } }).status;
    try {
      // Waits for /healthz to answer 200 with a fetch, then the HEALTHCHECK itself must pass: polling
      // with the HEALTHCHECK started a Node process every 200 ms for as long as the start took.
      const deadline = Date.now() + 60_000;
      const healthy = () => fetch(`http://127.0.0.1:${port}/healthz`).then(async (res) => (await res.body?.cancel(), res.status === 200), () => false);
      while (!(await healthy())) {
        if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the image's server did not become healthy:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(healthcheck()).toBe(0);
      const summary = (await (await fetch(`http://127.0.0.1:${port}/api/v2/summary.json`)).json()) as { components: unknown[] };
      expect(summary.components, 'a production start publishes no demo data').toEqual([]);
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/"msg":"Candor stopped"/);
      expect(healthcheck()).toBe(1);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }, 600_000);
});

const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!analyze && inCi) throw new Error('systemd-analyze is missing: .ci/run installs the systemd package');

describe.skipIf(!analyze)('the systemd unit', () => {
  // The unit as installed at /srv/candor, pointed at this checkout so that its paths exist.
  const unitDir = analyze ? tempDir('candor-unit-') : '';
  const unit = path.join(unitDir, 'candor.service');
  if (analyze) fs.writeFileSync(unit, fs.readFileSync('deploy/candor.service', 'utf8').replaceAll('/srv/candor', root));

  it('passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe('');
    expect(fs.existsSync(path.join(root, 'node_modules/node/bin/node')), 'the pinned Node the unit runs').toBe(true);
  });

  it('is hardened: systemd-analyze security rates its exposure 2.0 or lower', () => {
    const result = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', unit], { encoding: 'utf8' });
    const level = /Overall exposure level for candor\.service: ([\d.]+)/.exec(result.stdout)?.[1];
    expect(Number(level), result.stdout.slice(-500)).toBeLessThanOrEqual(2);
    expect(result.status).toBe(0);
  });

  it('runs the server with its heap settings and stops it with SIGTERM to the main process only', () => {
    const text = fs.readFileSync('deploy/candor.service', 'utf8');
    expect(text).toContain(`ExecStart=/srv/candor/node_modules/node/bin/node ${SERVER_NODE_FLAGS.join(' ')} scripts/serve.ts`);
    expect(text).toMatch(/^KillMode=mixed$/m);
    expect(text).toMatch(/^Environment=NODE_ENV=production /m);
    const environment = text.match(/^Environment=(.*)$/m)![1]!.split(' ');
    for (const [name, value] of Object.entries(SERVER_ENV)) expect(environment).toContain(`${name}=${value}`);
    expect(text).not.toMatch(/^MemoryDenyWriteExecute=yes/m); // V8's JIT needs it off
    // @resources is refused, but the delivery process lowers its own priority (nice, SCHED_IDLE).
    expect(text).toMatch(/^SystemCallFilter=~@privileged @resources$/m);
    expect(text).toMatch(/^SystemCallFilter=setpriority sched_setscheduler sched_setattr$/m);
  });
});

const compose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!compose)('compose.yaml', () => {
  it('is a valid Compose file with Candor, and Litestream and the mirror behind profiles', () => {
    const env = { ...process.env, CANDOR_PUBLIC_URL: 'https://status.example.test' };
    const all = spawnSync('docker-compose', ['-f', 'compose.yaml', '--profile', 'litestream', '--profile', 'mirror', 'config', '--services'], { encoding: 'utf8', env });
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout.trim().split('\n').sort()).toEqual(['candor', 'litestream', 'mirror']);
    const config = spawnSync('docker-compose', ['-f', 'compose.yaml', 'config'], { encoding: 'utf8', env });
    // Only Candor starts by default; the sidecars are opt-in.
    expect(config.stdout).toMatch(/ {2}litestream:\n(?: {4}.*\n)*? {4}profiles:\n {4}- litestream\n/);
    expect(config.stdout).toMatch(/ {2}mirror:\n(?: {4}.*\n)*? {4}profiles:\n {4}- mirror\n/);
    expect(config.stdout).toContain('--watch');
    const missing = spawnSync('docker-compose', ['-f', 'compose.yaml', 'config'], { encoding: 'utf8', env: { ...env, CANDOR_PUBLIC_URL: '' } });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set CANDOR_PUBLIC_URL');
  });
});
if (!compose) console.warn('Skipping the compose.yaml check: docker-compose is not installed (apt-get install docker-compose).');
