// Where Debian's Chromium is and how the tests start it (test/support/browser.ts), in a module of its
// own so that the suite's set-up (build-once.ts), which runs outside the test workers, can use it.
import fs from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** The run's shared browser (build-once.ts), or null without Chromium (browserAvailable says why). */
export async function launchSharedBrowser(): Promise<BrowserServer | null> {
  if (!fs.existsSync(CHROMIUM_PATH)) return null;
  return chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
