// Debian's Chromium (its headless shell, see chromium.ts) driven by playwright-core. Locally a
// missing browser skips the browser tests with a clear message; in CI (CI=true) it is a failure.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

export { CHROMIUM_PATH };

export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but no Chromium at ${CHROMIUM_PATH}: .ci/run installs chromium-headless-shell from Debian`);
  }
  console.warn(`Skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium-headless-shell)`);
  return false;
}

/**
 * Chromium for one test file. In a suite run (the http project, test/support/build-once.ts) every
 * file connects to one browser started for the run instead of starting its own (about 2 CPU-seconds
 * each): each file still works in browser contexts of its own, and close() closes those and
 * disconnects, leaving the browser to the other files.
 */
export function launchBrowser(): Promise<Browser> {
  const shared = inject('browserEndpoint');
  if (shared) return chromium.connect(shared);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
