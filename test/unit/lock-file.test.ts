// The committed package-lock.json is exactly what `npm install` writes for package.json, so a fresh
// clone stays clean after `npm install` and `npm ci` installs what was tested. Checked by letting npm
// recompute the lock in a temporary copy (--package-lock-only: nothing is installed or run) and
// comparing bytes. Locally this runs from npm's cache only and is skipped, saying why, when the
// cache lacks something; CI reaches the registry, so there a failure to compute fails the test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const inCi = process.env.CI === 'true';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const network = inCi ? '--prefer-offline' : '--offline';

/** Runs npm on a copy of package.json and the given lock text; returns the lock as npm left it. */
function recompute(lockText: string, args = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', network]): Promise<{ ok: boolean; lock: string; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-lock-'));
  dirs.push(dir);
  fs.copyFileSync('package.json', path.join(dir, 'package.json'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), lockText);
  return new Promise((resolve) => {
    const npm = spawn('npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (d) => (output += d));
    npm.stderr.on('data', (d) => (output += d));
    npm.on('close', (code) => resolve({ ok: code === 0, lock: fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'), output }));
  });
}

describe('package-lock.json', () => {
  it('is what npm install writes for package.json (and the check notices a lock that is not)', async (context) => {
    const committed = fs.readFileSync('package-lock.json', 'utf8');
    // A lock whose root entry lacks a dependency of package.json, to prove the comparison can fail.
    const parsed = JSON.parse(committed) as { packages: Record<string, { dependencies: Record<string, string> }> };
    delete parsed.packages['']!.dependencies.zod;
    const [fresh, repaired, clean] = await Promise.all([
      recompute(committed),
      recompute(JSON.stringify(parsed, null, 2) + '\n'),
      // npm ci refuses a lock that lacks packages package.json asks for on any platform (optional
      // binaries the registry does not have), which recomputing the lock here cannot notice.
      recompute(committed, ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', network]),
    ]);
    if (!fresh.ok && !inCi && /ENOTCACHED|offline/i.test(fresh.output)) {
      context.skip(`npm's cache lacks packages needed to recompute the lock offline (CI checks it with the registry):\n${fresh.output.slice(-400)}`);
    }
    expect(fresh.ok, fresh.output).toBe(true);
    expect(fresh.lock === committed, 'npm install would change package-lock.json: run npm install and commit the lock as it writes it').toBe(true);
    expect(clean.ok, `npm ci refuses the lock file:\n${clean.output}`).toBe(true);
    expect(repaired.ok, repaired.output).toBe(true);
    expect(repaired.lock === committed, 'npm rewrote the altered lock into the committed one').toBe(true);
  }, 120_000);
});
