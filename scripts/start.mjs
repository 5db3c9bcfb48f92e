// `npm start`: build when the sources are newer than the build, then serve (scripts/serve.ts
// prepares the database: migrate, load the demo when empty). Runs on the project's pinned Node (npm puts it on PATH).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const entry = path.join(root, 'dist/server/entry.mjs');

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((max, name) => Math.max(max, newestMtime(path.join(target, name))), stat.mtimeMs);
}

function needsBuild() {
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const sources = ['src', 'db', 'public', 'astro.config.mjs', 'package.json'].map((p) => newestMtime(path.join(root, p)));
  return Math.max(...sources) > built;
}

if (needsBuild()) {
  console.log('Building Candor (sources changed since the last build)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

await import(pathToFileURL(path.join(root, 'scripts/serve.ts')).href);
