// `npm start`: build when the sources are newer than the build, then serve (scripts/serve.ts
// prepares the database: migrate, load the demo when empty). Runs on the project's pinned Node
// (npm puts it on PATH).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, root } from './build-if-stale.mjs';

process.chdir(root);
if (!buildIfStale()) process.exit(1);
// Serve the build just made, whatever CANDOR_OUT_DIR a test or bench set for its own builds.
process.env.CANDOR_OUT_DIR = path.join(root, 'dist');
await import(pathToFileURL(path.join(root, 'scripts/serve.ts')).href);
