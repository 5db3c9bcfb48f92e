// Builds Candor (astro build into dist/) when any source is newer than the last build.
// Used by `npm start`, `npm run bench` and `npm run export`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((max, name) => Math.max(max, newestMtime(path.join(target, name))), stat.mtimeMs);
}

export function needsBuild(outDir = path.join(root, 'dist')) {
  const entry = path.join(outDir, 'server/entry.mjs');
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const sources = ['src', 'db', 'public', 'astro.config.mjs', 'package.json'].map((p) => newestMtime(path.join(root, p)));
  return Math.max(...sources) > built;
}

/** Returns false when the build failed (astro has printed why). */
export function buildIfStale() {
  if (!needsBuild()) return true;
  console.log('Building Candor (sources changed since the last build)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CANDOR_OUT_DIR: path.join(root, 'dist') },
  });
  return result.status === 0;
}
