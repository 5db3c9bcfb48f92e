// Builds the Astro server once before the suite, so integration and browser tests exercise
// exactly what `npm start` serves. CANDOR_SKIP_BUILD=1 reuses an existing build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  if (process.env.CANDOR_SKIP_BUILD === '1') return;
  const astro = path.resolve('node_modules/astro/bin/astro.mjs');
  const result = spawnSync(process.execPath, [astro, 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('astro build failed; see the output above');
}
