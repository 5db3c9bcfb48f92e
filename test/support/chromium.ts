// Where Debian's Chromium is and how the tests start it (test/support/browser.ts), in a module of its
// own so that the suite's set-up (build-once.ts), which runs outside the test workers, can use it.
//
// Debian's chromium-headless-shell first: the same Chromium (Blink, V8, the same version as Debian's
// chromium package), built for headless use only, the build Playwright itself drives for headless
// runs. The full browser's headless mode also runs its window machinery: a browser process that
// costs twice as much and a renderer for its own user interface. The browser files took
// 200 CPU-seconds with /usr/bin/chromium and 154 with the shell (vitest run test/e2e, same results).
// Without the shell, /usr/bin/chromium; CHROMIUM_PATH names another.
import fs from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? CANDIDATES.find((file) => fs.existsSync(file)) ?? CANDIDATES[0]!;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** The run's shared browser (build-once.ts), or null without Chromium (browserAvailable says why). */
export async function launchSharedBrowser(): Promise<BrowserServer | null> {
  if (!fs.existsSync(CHROMIUM_PATH)) return null;
  return chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
