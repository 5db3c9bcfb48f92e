// `npm start`: build when the sources are newer than the build, then serve (scripts/serve.ts
// prepares the database: migrate, load the demo when empty). Runs on the project's pinned Node
// (npm puts it on PATH).
//
// One process tree that stops as a whole: SIGTERM or SIGINT here is passed on to the build or the
// server, which finishes the requests in flight and exits, and then this process exits with it.
// npm itself does not pass SIGTERM on to its script (it exits and leaves the script running), so
// when the process that started this one is gone, this one stops as if it had been sent SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { needsBuild, root } from './build-if-stale.mjs';
import { SERVER_ENV, SERVER_NODE_FLAGS } from './server-flags.mjs';

process.chdir(root);
const dist = path.join(root, 'dist');

/** @type {import('node:child_process').ChildProcess | null} */
let child = null;
/** @type {NodeJS.Signals | null} */
let stopping = null;

function stop(/** @type {NodeJS.Signals} */ signal) {
  if (stopping) return;
  stopping = signal;
  if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  else process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM');
}, 200).unref();

/** Runs Node with these arguments as the one child, until it exits. */
function run(/** @type {string[]} */ args, /** @type {NodeJS.ProcessEnv} */ env) {
  return new Promise((resolve) => {
    child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

if (needsBuild(dist)) {
  console.log('Building Candor (sources changed since the last build)…');
  const built = await run([path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { ...process.env, CANDOR_OUT_DIR: dist });
  if (stopping) process.exit(0);
  if (built.code !== 0) process.exit(1);
}
// Serve the build just made, whatever CANDOR_OUT_DIR a test or bench set for its own builds; with the
// server's heap settings given here, serve.ts runs in this child instead of starting another.
const served = await run([...SERVER_NODE_FLAGS, path.join(root, 'scripts/serve.ts')], { ...SERVER_ENV, ...process.env, CANDOR_OUT_DIR: dist });
process.exit(served.code ?? (stopping ? 0 : 1));
